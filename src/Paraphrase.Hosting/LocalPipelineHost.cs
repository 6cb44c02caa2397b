using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paraphrase.Dashboard;
using Paraphrase.Serving;
using Paraphrase.Pipeline;
using Paraphrase.Serving.Management;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Storage;
using Paraphrase.Worker;

namespace Paraphrase.Hosting;

/// <summary>
/// The whole pipeline on one machine, on real components: Azurite (started if needed), the DTFx Azure Storage backend
/// through the sidecar, the orchestration's worker and client, the upload watcher and the scheduler, the trainer worker,
/// and one Kestrel host serving the champion and the management API. Stopping it stops them in the order that lets
/// each finish cleanly: the HTTP host (and with it the durable worker and the trainer), then the sidecar, then Azurite.
/// </summary>
public sealed class LocalPipelineHost : IAsyncDisposable
{
    private readonly AzuriteProcess? _azurite;
    private readonly LocalDurableBackend _backend;
    private readonly GrpcChannel _channel;

    private LocalPipelineHost(AzuriteProcess? azurite, LocalDurableBackend backend, GrpcChannel channel, WebApplication app)
    {
        (_azurite, _backend, _channel, App) = (azurite, backend, channel, app);
    }

    public WebApplication App { get; }

    public DurableTaskClient Client => App.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<LocalPipelineHost> StartAsync(LocalHostOptions options, ILoggerFactory loggerFactory, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        string data = Path.GetFullPath(options.DataDirectory);
        AzuriteProcess? azurite = options.Storage == StorageAccount.DevelopmentStorage
            ? await AzuriteProcess.EnsureRunningAsync(data, log, cancellationToken)
            : null;
        try
        {
            var account = StorageAccount.Connect(options.Storage);
            await new ArtifactStore(account).EnsureContainersAsync(cancellationToken);
            var backend = await LocalDurableBackend.StartAsync(options.Durable with { StorageConnection = options.Storage }, loggerFactory, cancellationToken);
            var channel = GrpcChannel.ForAddress(backend.Address);
            var pipeline = options.Pipeline with { CacheDirectory = Path.Combine(data, "cache") };
            var app = Build(options, pipeline, account, channel, loggerFactory);
            await app.StartAsync(cancellationToken);
            log?.Invoke($"Pipeline host ready at {options.Url} (task hub '{options.Durable.TaskHub}' on {(azurite is null ? "the given storage" : "Azurite")}{(options.RunWorker ? ", trainer worker in process" : ", no trainer worker")}).");
            return new LocalPipelineHost(azurite, backend, channel, app);
        }
        catch
        {
            if (azurite is not null)
            {
                await azurite.DisposeAsync();
            }

            throw;
        }
    }

    private static WebApplication Build(LocalHostOptions options, PipelineOptions pipeline, StorageAccount account, GrpcChannel channel, ILoggerFactory loggerFactory)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddCallerOwnedLifetime();
        builder.Services.AddParaphrasePipeline(pipeline, account);
        builder.Services.AddPipelineTriggers();
        builder.Services.AddSingleton<ChampionFollower>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ChampionFollower>());
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry => registry.AddPipelineTasks());
            worker.UseGrpc(channel);
        });
        if (options.RunWorker)
        {
            builder.Services.AddTrainerWorker(options.Worker with { ScratchDirectory = Path.Combine(Path.GetFullPath(options.DataDirectory), "worker") });
        }

        builder.Configuration.AddInMemoryCollection(ServingApiKeys.AsConfiguration(options.ApiKeys));
        builder.Services.AddParaphraseServing(options.Serving, options.Inference, Path.Combine(pipeline.CacheDirectory, "champion.json"), builder.Configuration);
        var app = builder.Build();
        app.MapParaphraseApi();
        app.MapPipelineApi();
        app.MapPipelineDashboard();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await App.StopAsync(timeout.Token);
        }

        await App.DisposeAsync();
        _channel.Dispose();
        await _backend.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
