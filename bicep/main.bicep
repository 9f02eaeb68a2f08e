// Everything the app needs in Azure, for `azd up`: a Flex Consumption function app and its data
// services, connected by a user-assigned managed identity. No keys: shared-key and local auth are
// off wherever Azure allows it; the few secrets the app has live in Key Vault.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names the resource group and seeds the resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption and Azure Managed Redis.')
@allowed([
  'australiaeast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the developer running azd: gets data access to Cosmos DB, Redis, Service Bus and the vault\'s secrets. Empty: nobody but the app.')
param principalId string = ''

@description('Type of principalId: User when a person runs azd, ServicePrincipal in a pipeline.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Node.js major version of the function app.')
@allowed(['20', '22'])
param nodeVersion string = '22'

@description('Memory of each function app instance; CPU scales with it (bcrypt is CPU-bound).')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('serverless: pay per request (default). provisioned: autoscale throughput shared by the containers. An existing account cannot switch.')
@allowed(['serverless', 'provisioned'])
param cosmosCapacityMode string = 'serverless'

@description('With cosmosCapacityMode provisioned: the autoscale maximum RU/s shared by all containers.')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Azure Managed Redis SKU. Balanced_B0 is the smallest; the non-clustered policy is offered on the smaller SKUs only.')
@allowed(['Balanced_B0', 'Balanced_B1', 'Balanced_B3', 'Balanced_B5', 'Balanced_B10', 'Balanced_B20'])
param redisSku string = 'Balanced_B0'

@description('Replicate Redis across two nodes (SLA, about twice the price).')
param redisHighAvailability bool = false

@description('Key Vault purge protection. Leave off for environments you tear down with `azd down --purge`.')
param keyVaultPurgeProtection bool = false

// Timer schedules (NCRONTAB, six fields, UTC); the defaults are SCHEDULE_DEFAULTS in functions/platform/config.ts.
@description('ACTIVITY_SYNC_SCHEDULE: when the Redis activity buffer is synced to Cosmos DB.')
param activitySyncSchedule string = '*/30 * * * * *'

@description('PRESENCE_SWEEP_SCHEDULE: when players not seen within the timeout are marked offline.')
param presenceSweepSchedule string = '0 * * * * *'

@description('EVENT_RELAY_SCHEDULE: when events that could not be published at once are published from the outbox.')
param eventRelaySchedule string = '*/15 * * * * *'

@description('EMAIL_DELIVERY_SCHEDULE: when queued mails whose first try failed are sent again.')
param emailDeliverySchedule string = '*/5 * * * * *'

@description('EMAIL_LINK_BASE_URL: the web page links in mails open (verify, reset, confirm); it posts the token to the API.')
param emailLinkBaseUrl string

@description('EMAIL_PRODUCT_NAME: the product name in mails.')
param emailProductName string = 'Player Accounts'

@description('Where the Communication Services and Email resources keep their data (e.g. United States, Europe).')
param emailDataLocation string = 'United States'
// The social graph's limits (functions/platform/features/social.ts validates them at start-up).
@description('SOCIAL_CHANGE_LIMIT: follows, unfollows, blocks and unblocks per player, "max/windowSeconds".')
param socialChangeLimit string = '120/60'

@description('REPORT_LIMIT: reports a player may file, "max/windowSeconds".')
param reportLimit string = '10/3600'

@description('PREFERENCES_MAX_BYTES: the largest preferences document, in bytes of JSON (256-16384).')
@minValue(256)
@maxValue(16384)
param preferencesMaxBytes int = 16384

@description('IDENTITY_PROVIDERS: JSON {"<name>": {issuer, jwksUri?, clientIds, algorithms?, allowCreate?}} of OpenID Connect providers for POST /api/login/oidc.')
param identityProviders string = '{}'

@description('STEAM_APP_ID: the Steam app id session tickets are checked for. Empty: Steam sign-in answers 503.')
param steamAppId string = ''

@description('STEAM_WEB_API_URL: the Steam Web API (publisher keys use the partner host).')
param steamWebApiUrl string = 'https://partner.steam-api.com'

@description('LEADERBOARD_RESET_SCHEDULE: when finished leaderboard periods are archived.')
param leaderboardResetSchedule string = '5 * * * * *'

@description('LEADERBOARDS: JSON [{"id", "sort", "operator", "reset", "source"}] of leaderboards. Empty: the app\'s defaults (high-score, wins).')
param leaderboards string = ''

@description('MATCH_REPAIR_SCHEDULE: when match results whose application stopped halfway are finished.')
param matchRepairSchedule string = '*/30 * * * * *'

@description('MATCH_TTL_SECONDS: how long a live match stays in Redis after its last update.')
param matchTtlSeconds int = 7200

@description('STATS: JSON {"statName": "sum"|"max"|"min"|"last"} of the named stats game servers report. Empty: the app\'s example stats.')
param stats string = ''

@description('CURRENCIES: the wallet currencies, comma-separated lowercase codes; amounts are whole minor units.')
param currencies string = 'gold'

@description('CORS_ALLOWED_ORIGINS: browser origins allowed to call the API, comma-separated, or *. Empty: none. Feeds both siteConfig.cors and the app setting.')
param corsAllowedOrigins string = ''

@description('Web PubSub SKU for realtime push: Free_F1 (development), Standard_S1 or Premium_P1.')
@allowed(['Free_F1', 'Standard_S1', 'Premium_P1'])
param webPubSubSku string = 'Standard_S1'

@description('Web PubSub units (Standard and Premium).')
param webPubSubCapacity int = 1

@description('WEBPUBSUB_UPSTREAM_AUDIENCE: the audience of the tokens Web PubSub puts on upstream calls (an App ID URI of your own app registration, or empty: the app identity\'s client id).')
param webPubSubUpstreamAudience string = ''

// The app's secrets. azd fills them from its environment (see main.parameters.json and
// bicep/hooks/preprovision.mjs); they go to Key Vault only, never into an app setting.
@secure()
@description('JWT_SIGNING_KEY: private key signing access tokens (JWK or PKCS#8 PEM). The preprovision hook generates one.')
param jwtSigningKey string = ''

@secure()
@description('GAME_SERVER_CLIENTS: JSON [{"id", "secretHash"}] of game-server clients. Empty: none.')
param gameServerClients string = ''

@secure()
@description('ADMIN_BOOTSTRAP_TOKEN: one-time secret for POST /api/admin/bootstrap. The preprovision hook generates one.')
param adminBootstrapToken string = ''

@secure()
@description('The OpenAI API key for the gameplay AI function. Empty: not stored.')
param openAiApiKey string = ''

@secure()
@description('STEAM_PUBLISHER_KEY: the Steam publisher Web API key for POST /api/login/steam. Empty: Steam sign-in answers 503.')
param steamPublisherKey string = ''

@secure()
@description('DEVICE_ID_HASH_KEY: HMAC key device ids are stored under. The preprovision hook generates one; never change it (device sign-ins would stop matching).')
param deviceIdHashKey string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-api-${resourceToken}'
  logAnalytics: 'log-${resourceToken}'
  appInsights: 'appi-${resourceToken}'
  storage: 'st${resourceToken}'
  plan: 'plan-${resourceToken}'
  functionApp: 'func-api-${resourceToken}'
  cosmos: 'cosmos-${resourceToken}'
  serviceBus: 'sb-${resourceToken}'
  keyVault: 'kv-${resourceToken}'
  redis: 'redis-${resourceToken}'
  communication: 'acs-${resourceToken}'
  emailService: 'email-${resourceToken}'
  webPubSub: 'wps-${resourceToken}'
}
var webPubSubHubName = 'game'
// Flex Consumption runs the app from a zip in this blob container.
var deploymentContainerName = 'app-package-${take(names.functionApp, 32)}-${take(resourceToken, 7)}'

// Cosmos DB: the database and one line per container in CONTAINERS
// (functions/adapters/cosmos/client.ts): same id, same partition key, same defaultTtl.
// test/unit/deployment.test.ts fails when the two lists differ. The default indexing policy
// (everything, consistent) serves the app's queries: point reads, single-field ORDER BY.
var cosmosDatabaseName = 'player-accounts'
var cosmosContainers = [
  { id: 'users', partitionKey: '/id' }
  { id: 'claims', partitionKey: '/id' }
  { id: 'sessions', partitionKey: '/userId', defaultTtl: -1 }
  { id: 'activity', partitionKey: '/userId' }
  { id: 'stats', partitionKey: '/userId' }
  { id: 'audit', partitionKey: '/userId' }
  { id: 'outbox', partitionKey: '/userId' }
  { id: 'mail', partitionKey: '/id' }
  { id: 'social', partitionKey: '/userId' }
  { id: 'reports', partitionKey: '/id' }
  { id: 'wallets', partitionKey: '/userId' }
  { id: 'playerMatches', partitionKey: '/userId' }
  { id: 'matches', partitionKey: '/id' }
  { id: 'leaderboards', partitionKey: '/boardId' }
  { id: 'games', partitionKey: '/id' }
]

// Service Bus: every topic, subscription and rule of infra/topology.json, the file the local
// stand-in also reads. Its fields are ARM property names, passed through as they are, plus:
// - filterType, which ARM wants and the file leaves implicit;
// - for a subscription with rules, a $Default rule that matches nothing: Azure gives every new
//   subscription a match-all $Default rule, and the file means "only these" (as the stand-in does).
var topology = loadJsonContent('../infra/topology.json')
var matchNothingDefaultRule = { name: '$Default', filterType: 'SqlFilter', sqlFilter: { sqlExpression: '1=0' } }
var serviceBusTopics = map(topology.topics, topic => union(topic, {
  subscriptions: map(topic.subscriptions, subscription => union(subscription, {
    rules: empty(subscription.?rules ?? [])
      ? []
      : concat([matchNothingDefaultRule], map(subscription.rules, rule => union(rule, {
          filterType: contains(rule, 'sqlFilter') ? 'SqlFilter' : 'CorrelationFilter'
        })))
  }))
}))

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  communicationAndEmailServiceOwner: '09976791-48a7-449e-bb21-39d1a415f350' // sends mail with an Entra token
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002' // Cosmos DB Built-in Data Contributor
  redisDefaultAccessPolicy: 'default' // Azure Managed Redis "default" access policy: full data access
  webPubSubServiceOwner: '12cf5a90-567b-43ae-8102-96cf46c7d9b4' // Web PubSub Service Owner: the data-plane REST API
}

resource rg 'Microsoft.Resources/resourceGroups@2024-11-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

// The one identity every Azure client of the app authenticates as (AZURE_CLIENT_ID).
module identity 'br/public:avm/res/managed-identity/user-assigned-identity:0.6.0' = {
  scope: rg
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.16.1' = {
  scope: rg
  name: 'log-analytics'
  params: {
    name: names.logAnalytics
    location: location
    tags: tags
    skuName: 'PerGB2018'
    dataRetention: 30
  }
}

module appInsights 'br/public:avm/res/insights/component:0.8.0' = {
  scope: rg
  name: 'app-insights'
  params: {
    name: names.appInsights
    location: location
    tags: tags
    kind: 'web'
    applicationType: 'web'
    workspaceResourceId: logAnalytics.outputs.resourceId
    // Telemetry only with an Entra token (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
    disableLocalAuth: true
    // Keep client IPs masked: these are players' addresses.
    disableIpMasking: false
    retentionInDays: 90
  }
}

// Host storage (timer leases, host state) and the deployment package. Identity only.
module storage 'br/public:avm/res/storage/storage-account:0.33.0' = {
  scope: rg
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    kind: 'StorageV2'
    skuName: 'Standard_LRS'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [{ name: deploymentContainerName }]
    }
  }
}

module cosmos 'br/public:avm/res/document-db/database-account:0.20.1' = {
  scope: rg
  name: 'cosmos'
  params: {
    name: names.cosmos
    location: location
    tags: tags
    capabilitiesToAdd: cosmosCapacityMode == 'serverless' ? ['EnableServerless'] : []
    zoneRedundant: false
    defaultConsistencyLevel: 'Session'
    disableLocalAuthentication: true
    disableKeyBasedMetadataWriteAccess: true
    backupPolicyType: 'Continuous'
    backupPolicyContinuousTier: 'Continuous7Days'
    networkRestrictions: {
      publicNetworkAccess: 'Enabled'
      ipRules: []
      virtualNetworkRules: []
    }
    sqlDatabases: [
      {
        name: cosmosDatabaseName
        autoscaleSettingsMaxThroughput: cosmosCapacityMode == 'provisioned' ? cosmosAutoscaleMaxThroughput : null
        containers: map(cosmosContainers, container => {
          name: container.id
          paths: [container.partitionKey]
          defaultTtl: container.?defaultTtl
        })
      }
    ]
  }
}

// Standard is the cheapest tier with topics.
module serviceBus 'br/public:avm/res/service-bus/namespace:0.17.0' = {
  scope: rg
  name: 'service-bus'
  params: {
    name: names.serviceBus
    location: location
    tags: tags
    skuObject: { name: 'Standard' }
    zoneRedundant: false
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    topics: serviceBusTopics
  }
}

module keyVault 'br/public:avm/res/key-vault/vault:0.14.0' = {
  scope: rg
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
    sku: 'standard'
    enableRbacAuthorization: true
    enablePurgeProtection: keyVaultPurgeProtection
    softDeleteRetentionInDays: 7
    enableVaultForDeployment: false
    enableVaultForTemplateDeployment: false
    enableVaultForDiskEncryption: false
    publicNetworkAccess: 'Enabled'
    // Secret names are the app's setting names in kebab case (JWT_SIGNING_KEY: jwt-signing-key), the
    // names the app's Key Vault secret provider reads. Unset ones are not created.
    secrets: filter([
      { name: 'jwt-signing-key', value: jwtSigningKey }
      { name: 'game-server-clients', value: gameServerClients }
      { name: 'admin-bootstrap-token', value: adminBootstrapToken }
      { name: 'openai-api-key', value: openAiApiKey }
      { name: 'steam-publisher-key', value: steamPublisherKey }
      { name: 'device-id-hash-key', value: deviceIdHashKey }
    ], secret => !empty(secret.value))
  }
}

// Azure Managed Redis, Entra ID only. NoCluster: the app runs multi-key Lua scripts and
// MULTI/EXEC across keys. NoEviction: the token deny list must never be evicted to make room.
// AOF every second (offered on every tier): a restarted node comes back with its data, so at most
// about a second of buffered activity is lost; the deny list copes with a total loss on its own.
module redis 'br/public:avm/res/cache/redis-enterprise:0.5.1' = {
  scope: rg
  name: 'redis'
  params: {
    name: names.redis
    location: location
    tags: tags
    skuName: redisSku
    highAvailability: redisHighAvailability ? 'Enabled' : 'Disabled'
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    database: {
      accessKeysAuthentication: 'Disabled'
      clientProtocol: 'Encrypted'
      clusteringPolicy: 'NoCluster'
      evictionPolicy: 'NoEviction'
      persistence: { type: 'aof', frequency: '1s' }
      port: 10000
    }
  }
}

// Realtime push. The service comes first (the app's settings and permissions name it); its hub,
// whose event handler is the function app's URL, is made after the app.
module webPubSub 'modules/webpubsub.bicep' = {
  scope: rg
  name: 'web-pubsub'
  params: {
    name: names.webPubSub
    location: location
    tags: tags
    sku: webPubSubSku
    capacity: webPubSubCapacity
    identityResourceId: identity.outputs.resourceId
  }
}

module plan 'br/public:avm/res/web/serverfarm:0.7.0' = {
  scope: rg
  name: 'plan'
  params: {
    name: names.plan
    location: location
    tags: tags
    skuName: 'FC1'
    kind: 'functionapp'
    reserved: true
    zoneRedundant: false
  }
}

// ---- App settings --------------------------------------------------------------------------
// Every setting the app needs in Azure (SETTINGS in functions/platform/config.ts) and the ones the
// Functions host and its bindings read. test/unit/deployment.test.ts checks this list against
// the code: keep one setting per line, or one spread line per conditional setting.
// serviceBusEndpoint is https://NAME.servicebus.windows.net:443/ (another suffix in other clouds).
var serviceBusHost = split(split(serviceBus.outputs.serviceBusEndpoint, '/')[2], ':')[0]
var upstreamAudience = empty(webPubSubUpstreamAudience) ? identity.outputs.clientId : webPubSubUpstreamAudience
var appSettings = {
  // The Functions host: its storage, telemetry and the Service Bus trigger connection, by identity.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  AzureWebJobsStorage__blobServiceUri: 'https://${names.storage}.blob.${environment().suffixes.storage}'
  AzureWebJobsStorage__queueServiceUri: 'https://${names.storage}.queue.${environment().suffixes.storage}'
  AzureWebJobsStorage__tableServiceUri: 'https://${names.storage}.table.${environment().suffixes.storage}'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  ServiceBusConnection__fullyQualifiedNamespace: serviceBusHost
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.outputs.clientId

  // The app.
  AZURE_CLIENT_ID: identity.outputs.clientId
  // One JSON line per invocation into Application Insights traces.
  REQUEST_LOG: 'json'
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  REDIS_URL: 'rediss://${redis.outputs.hostName}:${redis.outputs.port}'
  REDIS_AUTH: 'entra'
  USER_EVENTS_TOPIC: topology.topics[0].name
  KEY_VAULT_URI: keyVault.outputs.uri
  // Timer schedules, bound as %NAME% by the timer triggers (SCHEDULE_DEFAULTS in functions/platform/config.ts).
  ACTIVITY_SYNC_SCHEDULE: activitySyncSchedule
  PRESENCE_SWEEP_SCHEDULE: presenceSweepSchedule
  EVENT_RELAY_SCHEDULE: eventRelaySchedule
  EMAIL_DELIVERY_SCHEDULE: emailDeliverySchedule
  // Email through Communication Services, by identity (no connection string in Azure).
  EMAIL_ENDPOINT: email.outputs.endpoint
  EMAIL_SENDER: email.outputs.senderAddress
  EMAIL_LINK_BASE_URL: emailLinkBaseUrl
  EMAIL_PRODUCT_NAME: emailProductName
  LEADERBOARD_RESET_SCHEDULE: leaderboardResetSchedule
  MATCH_REPAIR_SCHEDULE: matchRepairSchedule
  // Game features: wallet currencies, leaderboards, stats, live matches.
  CURRENCIES: currencies
  LEADERBOARDS: leaderboards
  STATS: stats
  MATCH_TTL_SECONDS: string(matchTtlSeconds)
  // Platform CORS (siteConfig.cors below) applies it; the app validates it at start-up.
  CORS_ALLOWED_ORIGINS: corsAllowedOrigins
  // Sign-in with OpenID Connect providers and Steam (the Steam key is a vault secret).
  IDENTITY_PROVIDERS: identityProviders
  STEAM_WEB_API_URL: steamWebApiUrl
  ...(empty(steamAppId) ? {} : { STEAM_APP_ID: steamAppId })
  SOCIAL_CHANGE_LIMIT: socialChangeLimit
  REPORT_LIMIT: reportLimit
  PREFERENCES_MAX_BYTES: string(preferencesMaxBytes)
  // Realtime: the service by identity; upstream calls carry a managed-identity token of this tenant and audience.
  WEBPUBSUB_ENDPOINT: webPubSub.outputs.endpoint
  WEBPUBSUB_HUB: webPubSubHubName
  WEBPUBSUB_UPSTREAM_TENANT_ID: tenant().tenantId
  WEBPUBSUB_UPSTREAM_AUDIENCE: upstreamAudience
  // Secrets are not app settings: the app reads them from the vault (KEY_VAULT_URI) with its
  // identity, caches them, and picks up rotated ones without a restart.
}

module email 'modules/email.bicep' = {
  scope: rg
  name: 'email'
  params: {
    communicationServiceName: names.communication
    emailServiceName: names.emailService
    dataLocation: emailDataLocation
    tags: tags
  }
}

module functionApp 'br/public:avm/res/web/site:0.24.0' = {
  scope: rg
  name: 'function-app'
  params: {
    name: names.functionApp
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    kind: 'functionapp,linux'
    serverFarmResourceId: plan.outputs.resourceId
    managedIdentities: {
      userAssignedResourceIds: [identity.outputs.resourceId]
    }
    keyVaultAccessIdentityResourceId: identity.outputs.resourceId
    httpsOnly: true
    clientAffinityEnabled: false
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: 'https://${names.storage}.blob.${environment().suffixes.storage}/${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.outputs.resourceId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
    // Only what Microsoft's Flex Consumption samples set: Flex refuses several classic siteConfig properties.
    siteConfig: {
      alwaysOn: false
      cors: {
        allowedOrigins: filter(map(split(corsAllowedOrigins, ','), origin => trim(origin)), origin => !empty(origin))
        supportCredentials: false
      }
    }
    configs: [
      {
        name: 'appsettings'
        properties: appSettings
        // Bicep is the one source: a setting removed here is removed from the app.
        retainCurrentAppSettings: false
      }
    ]
  }
  // The host starts as soon as the app exists: give it its permissions first.
  dependsOn: [access]
}

module webPubSubHub 'modules/webpubsub-hub.bicep' = {
  scope: rg
  name: 'web-pubsub-hub'
  params: {
    webPubSubName: webPubSub.outputs.name
    hubName: webPubSubHubName
    functionAppHostName: functionApp.outputs.defaultHostname
    upstreamAudience: upstreamAudience
  }
}

// ---- Permissions ---------------------------------------------------------------------------
// Every data-plane permission in the deployment, in one list, applied by one module.
var appGrants = [
  { on: 'storage', role: roles.storageBlobDataOwner, why: 'Functions host: leases, host state, deployment package' }
  { on: 'storage', role: roles.storageQueueDataContributor, why: 'Functions host: queues' }
  { on: 'storage', role: roles.storageTableDataContributor, why: 'Functions host: diagnostic events' }
  { on: 'serviceBus', role: roles.serviceBusDataSender, why: 'publishes user events' }
  { on: 'serviceBus', role: roles.serviceBusDataReceiver, why: 'event subscriber functions' }
  { on: 'serviceBus', role: roles.serviceBusDataOwner, why: 'Service Bus trigger scaling: the scale controller reads message counts (Manage)' }
  { on: 'keyVault', role: roles.keyVaultSecretsUser, why: 'reads the app secrets' }
  { on: 'appInsights', role: roles.monitoringMetricsPublisher, why: 'sends telemetry with an Entra token' }
  { on: 'cosmos', role: roles.cosmosDataContributor }
  { on: 'redis', role: roles.redisDefaultAccessPolicy }
  { on: 'communication', role: roles.communicationAndEmailServiceOwner, why: 'sends verification, reset and notice mails' }
  { on: 'webPubSub', role: roles.webPubSubServiceOwner, why: 'realtime: client tokens, groups, sends, closing connections' }
]
var developerGrants = [
  { on: 'serviceBus', role: roles.serviceBusDataSender, why: 'developer: send test events' }
  { on: 'serviceBus', role: roles.serviceBusDataReceiver, why: 'developer: peek and receive events' }
  { on: 'keyVault', role: roles.keyVaultSecretsOfficer, why: 'developer: set the app secrets' }
  { on: 'cosmos', role: roles.cosmosDataContributor }
  { on: 'redis', role: roles.redisDefaultAccessPolicy }
]

module access 'modules/access.bicep' = {
  scope: rg
  name: 'access'
  params: {
    appPrincipalId: identity.outputs.principalId
    appGrants: appGrants
    developerPrincipalId: principalId
    developerPrincipalType: principalType
    developerGrants: developerGrants
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: appInsights.outputs.name
    cosmosAccountName: cosmos.outputs.name
    redisClusterName: redis.outputs.name
    communicationServiceName: email.outputs.name
    webPubSubName: webPubSub.outputs.name
  }
}

// ---- Outputs (azd stores them in the environment) -------------------------------------------
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostname}/api'
output AZURE_API_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_SERVICEBUS_NAMESPACE string = serviceBusHost
output AZURE_REDIS_HOST string = redis.outputs.hostName
output AZURE_WEBPUBSUB_ENDPOINT string = webPubSub.outputs.endpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = appInsights.outputs.connectionString
