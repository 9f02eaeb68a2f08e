metadata description = 'The Web PubSub hub of the app: every client event goes to the function app\'s upstream handler with a managed-identity token.'

@description('Required. The Web PubSub service (webpubsub.bicep).')
param webPubSubName string

@description('Required. The hub name (WEBPUBSUB_HUB).')
param hubName string

@description('Required. The function app\'s host name, for the event handler URL.')
param functionAppHostName string

@description('Required. The audience (App ID URI or client id) of the managed-identity tokens on upstream calls (WEBPUBSUB_UPSTREAM_AUDIENCE).')
param upstreamAudience string

resource webPubSub 'Microsoft.SignalRService/webPubSub@2024-03-01' existing = {
  name: webPubSubName
}

// The app authenticates each call by the bearer token the service adds with its identity.
resource hub 'Microsoft.SignalRService/webPubSub/hubs@2024-03-01' = {
  parent: webPubSub
  name: hubName
  properties: {
    anonymousConnectPolicy: 'Deny'
    eventHandlers: [
      {
        urlTemplate: 'https://${functionAppHostName}/api/realtime/upstream'
        userEventPattern: '*'
        systemEvents: ['connect', 'connected', 'disconnected']
        auth: {
          type: 'ManagedIdentity'
          managedIdentity: { resource: upstreamAudience }
        }
      }
    ]
  }
}
