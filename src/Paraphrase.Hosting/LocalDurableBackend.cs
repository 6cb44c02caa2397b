using System.Net;
using DurableTask.AzureStorage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paraphrase.Pipeline;
using CoreOrchestrationService = DurableTask.Core.IOrchestrationService;
using CoreOrchestrationServiceClient = DurableTask.Core.IOrchestrationServiceClient;

namespace Paraphrase.Hosting;

/// <summary>
/// The durable backend of <c>paraphrase host</c>: the Durable Task Framework's Azure Storage provider — the provider
/// Durable Functions uses by default in Azure — on Azurite (or any storage account), served to the portable SDK's
/// worker and client through the SDK's gRPC sidecar on a loopback HTTP/2 endpoint. Runs survive a killed host: its
/// task hub lives in storage, and a restarted host picks them up.
/// </summary>
public sealed class LocalDurableBackend : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly OnceStartedOnceStopped _provider;
    private readonly LocalDurableOptions _options;

    private LocalDurableBackend(WebApplication sidecar, OnceStartedOnceStopped provider, LocalDurableOptions options, string address)
    {
        _sidecar = sidecar;
        _provider = provider;
        _options = options;
        Address = address;
    }

    /// <summary>The sidecar's address, for <c>UseGrpc(address)</c> on the SDK worker and client.</summary>
    public string Address { get; }

    public static async Task<LocalDurableBackend> StartAsync(LocalDurableOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnection),
            TaskHubName = options.TaskHub,
            WorkerId = options.WorkerId,
            // One partition: four would quadruple idle polling for no gain on one machine.
            PartitionCount = 1,
            // Table-based partition management starts a new task hub in seconds instead of about ten.
            UseTablePartitionManagement = true,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.WorkItemQueueVisibilityTimeout,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            LoggerFactory = loggerFactory,
        });
        await service.CreateIfNotExistsAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddCallerOwnedLifetime();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.SidecarPort, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var provider = new OnceStartedOnceStopped(service);
        builder.Services.AddSingleton<CoreOrchestrationService>(provider);
        builder.Services.AddSingleton<CoreOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableBackend(app, provider, options, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// The provider hands its partitions back in the background after a stop; storage has to stay up until it has,
    /// or the release hangs (a storage emulator told to stop waits for those connections to close). A host that
    /// never gets there leaves leases that the next host takes over once they expire.
    /// </summary>
    private async Task PartitionsReleasedAsync(TimeSpan limit)
    {
        var table = new Azure.Data.Tables.TableClient(_options.StorageConnection, _options.TaskHub + "Partitions");
        var deadline = DateTime.UtcNow + limit;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                bool held = false;
                await foreach (var lease in table.QueryAsync<Azure.Data.Tables.TableEntity>())
                {
                    held |= lease.GetString("CurrentOwner") == _options.WorkerId;
                }

                if (!held)
                {
                    return;
                }

                await Task.Delay(250);
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException)
        {
            // No partition table (legacy partition management), or storage already gone (the SDK's retries end in an
            // AggregateException): nothing to wait for.
        }
    }

    /// <summary>
    /// Stops the sidecar (its stopping callback stops the provider, after the provider's start has finished), waits for
    /// that stop, and keeps storage up until the partitions are back.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _sidecar.StopAsync(timeout.Token);
        await _provider.StopAsync();
        await PartitionsReleasedAsync(TimeSpan.FromSeconds(20));
        await _sidecar.DisposeAsync();
    }
}
