using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Paraphrase.Pipeline.Storage;

/// <summary>
/// The storage account the pipeline keeps its artifacts and job queue in: a connection string
/// (<c>UseDevelopmentStorage=true</c> for Azurite) or an account name / blob endpoint reached with a managed identity.
/// </summary>
public sealed class StorageAccount(BlobServiceClient blobs, QueueServiceClient queues)
{
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public BlobServiceClient Blobs { get; } = blobs;

    public QueueServiceClient Queues { get; } = queues;

    /// <param name="connection">A connection string, an https blob endpoint, or a bare account name.</param>
    /// <param name="queueEndpoint">With a blob endpoint: the queue endpoint, when it is not the account's standard one.</param>
    public static StorageAccount Connect(string connection, string? queueEndpoint = null)
    {
        if (connection.Contains('='))
        {
            return new StorageAccount(new BlobServiceClient(connection), new QueueServiceClient(connection));
        }

        // Identity-based: the account name alone, or its blob endpoint (as Functions' __accountName / __blobServiceUri).
        string blob = connection.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? connection.TrimEnd('/') : $"https://{connection}.blob.core.windows.net";
        string queue = queueEndpoint?.TrimEnd('/') ?? blob.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase);
        var credential = new DefaultAzureCredential();
        return new StorageAccount(new BlobServiceClient(new Uri(blob), credential), new QueueServiceClient(new Uri(queue), credential));
    }
}
