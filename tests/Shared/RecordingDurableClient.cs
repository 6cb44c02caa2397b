using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Paraphrase.Testing;

/// <summary>
/// A durable client that keeps instances in a dictionary and records what it was asked to start and terminate; nothing
/// runs. Enough to see what a function wrapper or an endpoint does with a client, without a task hub. Safe to share
/// between concurrent requests.
/// </summary>
internal sealed class RecordingDurableClient() : DurableTaskClient("recording")
{
    public ConcurrentDictionary<string, OrchestrationMetadata> Instances { get; } = new();

    public ConcurrentQueue<(string Name, string InstanceId, object? Input)> Scheduled { get; } = new();

    public ConcurrentQueue<string> Terminated { get; } = new();

    public void Add(string name, string id, OrchestrationRuntimeStatus status) =>
        Instances[id] = new OrchestrationMetadata(name, id) { RuntimeStatus = status, CreatedAt = DateTimeOffset.UtcNow, LastUpdatedAt = DateTimeOffset.UtcNow };

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        string id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        Scheduled.Enqueue((orchestratorName.Name, id, input));
        Add(orchestratorName.Name, id, OrchestrationRuntimeStatus.Pending);
        return Task.FromResult(id);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(Instances.GetValueOrDefault(instanceId));

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>(
            [.. Instances.Values.Where(i => filter?.InstanceIdPrefix is not { } prefix || i.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
                .Where(i => filter?.Statuses is not { } statuses || statuses.Contains(i.RuntimeStatus))])));

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        Terminated.Enqueue(instanceId);
        Add(Instances[instanceId].Name, instanceId, OrchestrationRuntimeStatus.Terminated);
        return Task.CompletedTask;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
