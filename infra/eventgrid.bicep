// Uploads under datasets/ reach the Function App's blob trigger (Source = EventGrid; Flex Consumption has no polling
// blob trigger) through an Event Grid subscription on the storage account's system topic. Deployed by
// hooks/postdeploy.sh after the code: the webhook carries the blob extension's system key, which exists only once the
// Functions host has started with a blob trigger.
targetScope = 'resourceGroup'

@description('The storage account\'s Event Grid system topic (output AZURE_EVENT_GRID_TOPIC_NAME of main.bicep).')
param eventGridTopicName string

@description('The Function App (output AZURE_FUNCTION_APP_NAME of main.bicep).')
param functionAppName string

@secure()
@description('The Function App\'s blobs_extension system key.')
param blobsExtensionKey string

@description('The blob trigger function\'s name ([Function] attribute).')
param functionName string = 'DatasetUploaded'

@description('The container whose uploads start runs.')
param container string = 'datasets'

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: eventGridTopicName
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' existing = {
  name: functionAppName
}

resource datasetUploads 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: '${container}-uploaded'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${container}/'
    }
    // Event Grid retries with backoff for a day; the trigger and the run planner are idempotent, so repeats are harmless.
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output subscriptionName string = datasetUploads.name
