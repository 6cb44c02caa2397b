// The trainer-job queue. The worker holds a peek-lock on a job's message for the whole job, renewing it with every
// heartbeat, so the lock duration is the broker's maximum; it retries a failed job itself and dead-letters it with the
// reason on its 5th delivery, so the broker's own limit sits above that (ServiceBusJobTransport).
param location string
param tags object
param name string
param queueName string

@minValue(6)
@description('Deliveries before the broker dead-letters a message; above the worker\'s own limit of 5.')
param maxDeliveryCount int = 10

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard: duplicate detection, which the job messages' ids (<run>:<kind>:<attempt>) rely on.
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    lockDuration: 'PT5M'
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    requiresSession: false
    enablePartitioning: false
  }
}

output name string = namespace.name
// <namespace>.servicebus.windows.net, read from the namespace so that sovereign clouds get their own suffix.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
output queueName string = queue.name
