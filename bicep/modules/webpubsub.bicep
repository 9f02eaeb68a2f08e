metadata description = 'Azure Web PubSub for realtime push: the service, local auth off, with the app\'s identity attached for upstream tokens. Its hub is webpubsub-hub.bicep.'

@description('Required. The service name; its endpoint is https://NAME.webpubsub.azure.com.')
param name string

param location string
param tags object = {}

@description('Required. Free_F1 (development), Standard_S1 or Premium_P1.')
param sku string

@description('Optional. Units of the Standard or Premium SKU.')
param capacity int = 1

@description('Required. Resource id of the user-assigned identity the service asks upstream tokens with.')
param identityResourceId string

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: capacity
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityResourceId}': {} }
  }
  properties: {
    // Keys off: the app reaches the data plane with its managed identity only.
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
  }
}

output name string = webPubSub.name
output endpoint string = 'https://${webPubSub.properties.hostName}'
