metadata description = 'Email: an Email Communication Service with an Azure-managed domain, linked to a Communication Services resource the app sends through (by identity: no keys are read).'

@description('Required. Name of the Communication Services resource.')
param communicationServiceName string

@description('Required. Name of the Email Communication Service.')
param emailServiceName string

@description('Required. Where both keep their data at rest; a domain links only within one data location.')
param dataLocation string

param tags object = {}

resource emailService 'Microsoft.Communication/emailServices@2023-04-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

// The free xxxx.azurecomm.net domain, verified by Azure: no DNS to set up. A custom domain can replace it later.
resource managedDomain 'Microsoft.Communication/emailServices/domains@2023-04-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communicationService 'Microsoft.Communication/communicationServices@2023-04-01' = {
  name: communicationServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [managedDomain.id]
  }
}

output name string = communicationService.name
@description('EMAIL_ENDPOINT: what the EmailClient is built with, with the managed identity.')
output endpoint string = 'https://${communicationService.properties.hostName}'
@description('EMAIL_SENDER: the sender an Azure-managed domain comes with.')
output senderAddress string = 'DoNotReply@${managedDomain.properties.mailFromSenderDomain}'
