// The trainer job's user-assigned identity: it pulls the image, the KEDA scaler reads the queue with it, and the
// worker inside the container reaches Service Bus and storage with it (AZURE_CLIENT_ID). User-assigned, so that its
// roles exist before the job does.
param location string
param tags object
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
