using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Paraphrase.Hosting;

namespace Paraphrase.Benchmarks;

/// <summary>
/// What the durable machinery costs on this machine: a fresh Azurite and task hub, one orchestration that calls a no-op
/// activity N times in sequence. The time between consecutive activity executions is one full round trip (activity
/// result → orchestration replay → next activity scheduled → executed), the overhead each pipeline stage pays.
/// </summary>
internal static class DurableBenchmark
{
    private static readonly ConcurrentQueue<long> Executions = new();

    public static async Task<int> RunAsync(int activities)
    {
        string data = Path.Combine(Path.GetTempPath(), "paraphrase-durable-bench-" + Environment.ProcessId);
        await using var azurite = await AzuriteProcess.StartAsync(data, 31000);
        var clock = Stopwatch.StartNew();
        await using var backend = await LocalDurableBackend.StartAsync(new LocalDurableOptions { StorageConnection = azurite.ConnectionString, TaskHub = "bench" },
            NullLoggerFactory.Instance);
        using var channel = GrpcChannel.ForAddress(backend.Address);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(channel));
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(registry =>
            {
                registry.AddActivityFunc<int, int>("Noop", (_, i) =>
                {
                    Executions.Enqueue(Stopwatch.GetTimestamp());
                    return i;
                });
                registry.AddOrchestratorFunc<int, int>("Chain", async (context, n) =>
                {
                    for (int i = 0; i < n; i++)
                    {
                        await context.CallActivityAsync<int>("Noop", i);
                    }

                    return n;
                });
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        string first = await client.ScheduleNewOrchestrationInstanceAsync("Chain", 1);
        await client.WaitForInstanceCompletionAsync(first);
        double ready = clock.Elapsed.TotalSeconds;

        Executions.Clear();
        var chain = Stopwatch.StartNew();
        string id = await client.ScheduleNewOrchestrationInstanceAsync("Chain", activities);
        await client.WaitForInstanceCompletionAsync(id);
        double total = chain.Elapsed.TotalSeconds;
        var stamps = Executions.ToArray();
        var trips = stamps.Zip(stamps.Skip(1), (a, b) => (b - a) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        Console.WriteLine($"durable backend: DTFx Azure Storage provider on Azurite via the sidecar, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  start (task hub created, sidecar up, worker connected) to first orchestration completed: {ready:F2} s");
        Console.WriteLine($"  {activities} sequential activities: {total:F2} s; round trip per activity p50 {Percentile(trips, 0.5):F0} ms, p99 {Percentile(trips, 0.99):F0} ms, max {trips[^1]:F0} ms");
        await host.StopAsync();
        return 0;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
