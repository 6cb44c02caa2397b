// One storage account for the Function App's host (the durable task hub's queues and tables, its keys and leases),
// its deployment package, and the pipeline's artifacts (datasets, token shards, runs, models, trigger state).
// Shared-key access is off: every client signs in with Microsoft Entra ID.
param location string
param tags object
param name string
param deploymentContainerName string
param eventGridTopicName string

// The artifact store's containers (src/Paraphrase.Pipeline/Storage/ArtifactPaths.cs), then the package container.
var containers = ['datasets', 'tokens', 'runs', 'models', 'pipeline', deploymentContainerName]

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: { publicAccess: 'None' }
  }
]

// Blob events of this account; eventgrid.bicep subscribes the blob trigger's webhook to uploads under datasets/.
resource eventGridTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: eventGridTopicName
  location: location
  tags: tags
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output eventGridTopicName string = eventGridTopic.name
