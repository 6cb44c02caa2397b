using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Jobs;

/// <summary>Which queue carries trainer jobs.</summary>
public enum JobTransportKind
{
    /// <summary>An Azure Storage queue in the pipeline's storage account (Azurite locally).</summary>
    StorageQueue,

    /// <summary>An Azure Service Bus queue (what the GPU Container Apps job scales on in Azure).</summary>
    ServiceBus,
}

/// <summary>The trainer-job queue: its kind, and for Service Bus the namespace to reach.</summary>
public sealed record JobTransportSettings
{
    public JobTransportKind Kind { get; init; } = JobTransportKind.StorageQueue;

    /// <summary>Service Bus: a connection string (<c>Endpoint=sb://…</c>), or a namespace (<c>name</c> or <c>name.servicebus.windows.net</c>) reached with a managed identity.</summary>
    public string? ServiceBus { get; init; }

    /// <summary>Parses the command line's and app settings' spelling: <c>storage-queue</c> or <c>service-bus</c>.</summary>
    public static JobTransportKind ParseKind(string value) => value.Trim().ToLowerInvariant() switch
    {
        "storage-queue" or "storagequeue" or "queue" => JobTransportKind.StorageQueue,
        "service-bus" or "servicebus" => JobTransportKind.ServiceBus,
        _ => throw new ArgumentException($"'{value}' is not a job transport: use storage-queue or service-bus."),
    };

    /// <summary>Throws <see cref="ArgumentException"/> when Service Bus is chosen without saying where it is.</summary>
    public void Validate()
    {
        if (Kind == JobTransportKind.ServiceBus && string.IsNullOrWhiteSpace(ServiceBus))
        {
            throw new ArgumentException("the service-bus transport needs a namespace or connection string (--service-bus).");
        }
    }

    /// <summary>The sender and receiver of <paramref name="queue"/> over the chosen transport.</summary>
    public (IJobSender Sender, IJobReceiver Receiver, IAsyncDisposable? Connection) Connect(StorageAccount account, string queue)
    {
        Validate();
        if (Kind == JobTransportKind.StorageQueue)
        {
            var transport = new StorageQueueJobTransport(account.Queues, queue);
            return (transport, transport, null);
        }

        var client = ServiceBus!.Contains('=')
            ? new ServiceBusClient(ServiceBus)
            : new ServiceBusClient(ServiceBus.Contains('.') ? ServiceBus : $"{ServiceBus}.servicebus.windows.net", new DefaultAzureCredential());
        var bus = new ServiceBusJobTransport(client.CreateSender(queue),
            client.CreateReceiver(queue, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 }));
        return (bus, bus, client);
    }
}
