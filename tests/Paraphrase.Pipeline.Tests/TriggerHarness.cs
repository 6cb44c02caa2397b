using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Orchestration;
using Paraphrase.Pipeline.Runs;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Tests;

/// <summary>
/// What the triggers need, for tests: a clock in the test's hands, a durable client on the in-memory backend whose
/// "pipeline" completes at once, and the planner and starter over a real store.
/// </summary>
internal sealed class TriggerHarness : IAsyncDisposable
{
    private TriggerHarness(DurableTaskTestHost durable, ServiceProvider services, ManualClock clock)
    {
        (Durable, Services, Clock) = (durable, services, clock);
    }

    public DurableTaskTestHost Durable { get; }

    public ServiceProvider Services { get; }

    public ManualClock Clock { get; }

    public static async Task<TriggerHarness> StartAsync(ArtifactStore store, PipelineOptions options)
    {
        var durable = await DurableTaskTestHost.StartAsync(registry =>
            registry.AddOrchestratorFunc<PipelineRunInput, string>(nameof(TrainingPipelineOrchestrator), (_, input) => input.RunId));
        var services = new ServiceCollection()
            .AddSingleton(store).AddSingleton(options).AddSingleton<DurableTaskClient>(durable.Client)
            .AddSingleton<RunPlanner>().AddSingleton<PipelineRunStarter>().BuildServiceProvider();
        return new TriggerHarness(durable, services, new ManualClock(DateTimeOffset.UtcNow));
    }

    public async Task<List<string>> InstancesAsync(string prefix)
    {
        var ids = new List<string>();
        await foreach (var instance in Durable.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }))
        {
            ids.Add(instance.InstanceId);
        }

        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Durable.DisposeAsync();
    }

    internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
