metadata description = 'Every data-plane permission of the deployment, applied from one list: Azure RBAC role assignments, Cosmos DB for NoSQL role assignments and Azure Managed Redis access policy assignments.'

@export()
@description('One permission: what a principal may do on which resource of this deployment.')
type grantType = {
  @description('Required. The resource the permission is on.')
  on: ('storage' | 'serviceBus' | 'keyVault' | 'appInsights' | 'cosmos' | 'redis' | 'communication' | 'webPubSub')

  @description('Required. A built-in Azure role definition id (GUID); for cosmos a Cosmos DB SQL role definition id; for redis an access policy name.')
  role: string

  @description('Optional. What the permission is for, shown on the role assignment.')
  why: string?
}

@description('Required. Object id of the app\'s managed identity.')
param appPrincipalId string

@description('Required. What the app may do.')
param appGrants grantType[]

@description('Optional. Object id of the developer (or pipeline) running azd; empty: nobody.')
param developerPrincipalId string = ''

@description('Optional. User for a person, ServicePrincipal for a pipeline.')
@allowed(['User', 'ServicePrincipal'])
param developerPrincipalType string = 'User'

@description('Optional. What the developer may do.')
param developerGrants grantType[] = []

param storageAccountName string
param serviceBusNamespaceName string
param keyVaultName string
param appInsightsName string
param cosmosAccountName string
param redisClusterName string
param communicationServiceName string
param webPubSubName string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource keyVault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = {
  name: cosmosAccountName
}

resource communication 'Microsoft.Communication/communicationServices@2023-04-01' existing = {
  name: communicationServiceName
}

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

resource redis 'Microsoft.Cache/redisEnterprise@2025-07-01' existing = {
  name: redisClusterName

  resource database 'databases@2025-07-01' existing = {
    name: 'default'
  }
}

// Every permission with its principal: the list all the loops below read.
var grants = concat(
  map(appGrants, grant => union(grant, { principalId: appPrincipalId, principalType: 'ServicePrincipal' })),
  empty(developerPrincipalId)
    ? []
    : map(developerGrants, grant => union(grant, { principalId: developerPrincipalId, principalType: developerPrincipalType }))
)

// Azure RBAC needs a resource symbol as scope, hence one loop per kind of resource; the list
// they read is the same.
resource storageGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'storage'): {
    name: guid(storage.id, grant.principalId, grant.role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

// The app's identity holds Data Sender (publishing), Data Receiver and Data Owner here. Owner is what
// Microsoft documents for the Service Bus trigger ("Azure Service Bus Data Receiver, Azure Service
// Bus Data Owner"): the scale controller runs as the same identity and needs the Manage right to
// read subscription message counts; with Receiver alone target-based scaling cannot see the backlog.
resource serviceBusGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'serviceBus'): {
    name: guid(serviceBus.id, grant.principalId, grant.role)
    scope: serviceBus
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

resource keyVaultGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'keyVault'): {
    name: guid(keyVault.id, grant.principalId, grant.role)
    scope: keyVault
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

resource appInsightsGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'appInsights'): {
    name: guid(appInsights.id, grant.principalId, grant.role)
    scope: appInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

// Sending mail with an Entra token: "Communication and Email Service Owner" on the Communication
// Services resource (the built-in role Microsoft documents for Entra ID access to ACS Email).
resource communicationGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'communication'): {
    name: guid(communication.id, grant.principalId, grant.role)
    scope: communication
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

resource webPubSubGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for grant in filter(grants, g => g.on == 'webPubSub'): {
    name: guid(webPubSub.id, grant.principalId, grant.role)
    scope: webPubSub
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: grant.principalId
      principalType: grant.principalType
      description: grant.?why
    }
  }
]

// Cosmos DB data-plane RBAC is its own resource type, not Azure RBAC.
@batchSize(1)
resource cosmosGrants 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [
  for grant in filter(grants, g => g.on == 'cosmos'): {
    parent: cosmos
    name: guid(cosmos.id, grant.principalId, grant.role)
    properties: {
      principalId: grant.principalId
      roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${grant.role}'
      scope: cosmos.id
    }
  }
]

// Azure Managed Redis fails access policy assignments written concurrently: one at a time.
@batchSize(1)
resource redisGrants 'Microsoft.Cache/redisEnterprise/databases/accessPolicyAssignments@2025-07-01' = [
  for grant in filter(grants, g => g.on == 'redis'): {
    parent: redis::database
    name: take(replace(guid(redis::database.id, grant.principalId, grant.role), '-', ''), 60)
    properties: {
      accessPolicyName: grant.role
      user: {
        objectId: grant.principalId
      }
    }
  }
]
