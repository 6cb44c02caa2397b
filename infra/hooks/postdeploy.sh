#!/bin/sh
# azd postdeploy hook: subscribes the Function App's blob trigger to uploads under datasets/.
# The subscription's webhook carries the blob extension's system key, which the Functions host creates the first time
# it starts with a blob trigger, so this runs after the code is deployed: wake the host, wait for the key, then deploy
# infra/eventgrid.bicep with it. The key travels in a temporary parameters file readable only by you, never on a
# command line. Needs the Azure CLI, signed in (az login) to the subscription azd deployed to. POSIX sh: azd runs
# hooks with `sh`.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
: "${AZURE_RESOURCE_GROUP:?run through azd (azd up or azd deploy), which exports the provisioning outputs}"
: "${AZURE_FUNCTION_APP_NAME:?missing: provision with azd first}"
: "${AZURE_FUNCTION_APP_URL:?missing: provision with azd first}"
: "${AZURE_EVENT_GRID_TOPIC_NAME:?missing: provision with azd first}"

if ! command -v az >/dev/null 2>&1; then
  echo "error: the Azure CLI (az) is needed to create the Event Grid subscription." >&2
  exit 1
fi

key=""
attempt=1
while [ "$attempt" -le 30 ]; do
  # Any request starts a host instance on Flex Consumption; the answer itself does not matter.
  curl -s -o /dev/null --max-time 30 "${AZURE_FUNCTION_APP_URL}/api/health" || true
  key=$(az functionapp keys list --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_FUNCTION_APP_NAME" \
          --query "systemKeys.blobs_extension" --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  echo "Waiting for the Function App's blobs_extension key (attempt $attempt of 30)..." >&2
  attempt=$((attempt + 1))
  sleep 10
done
if [ -z "$key" ]; then
  echo "error: the Function App has no blobs_extension system key after 5 minutes; is the DatasetUploaded blob trigger deployed?" >&2
  exit 1
fi

parameters=$(umask 077 && mktemp)
trap 'rm -f "$parameters"' EXIT INT TERM
cat >"$parameters" <<JSON
{
  "\$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "eventGridTopicName": { "value": "${AZURE_EVENT_GRID_TOPIC_NAME}" },
    "functionAppName": { "value": "${AZURE_FUNCTION_APP_NAME}" },
    "blobsExtensionKey": { "value": "${key}" }
  }
}
JSON

az deployment group create --resource-group "$AZURE_RESOURCE_GROUP" --name "datasets-uploaded" \
  --template-file "$here/../eventgrid.bicep" --parameters "@$parameters" --output none
echo "Uploads under datasets/ now reach ${AZURE_FUNCTION_APP_NAME}'s DatasetUploaded trigger through Event Grid."
