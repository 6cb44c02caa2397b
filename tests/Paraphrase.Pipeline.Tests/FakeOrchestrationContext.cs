using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Paraphrase.Pipeline.Tests;

/// <summary>
/// An orchestration context with nothing behind it, to test an orchestrator's decisions one by one: activities answer
/// from a script, a timer moves the clock to its fire time at once, and every custom status and activity call is kept.
/// </summary>
internal sealed class FakeOrchestrationContext(DateTime start) : TaskOrchestrationContext
{
    private readonly Dictionary<string, Func<object?, object?>> _activities = [];

    public List<(string Name, object? Input)> Calls { get; } = [];

    public List<object?> Statuses { get; } = [];

    public List<DateTime> Timers { get; } = [];

    public override TaskName Name => "under test";

    public override string InstanceId => "run-000000000000";

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => _now;

    public override bool IsReplaying => false;

    public override TaskOrchestrationEntityFeature Entities => throw new NotSupportedException();

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    private DateTime _now = start;

    /// <summary>What the activity answers (its input in, its result out); an exception thrown there fails the call.</summary>
    public FakeOrchestrationContext On<TIn, TOut>(string activity, Func<TIn, TOut> answer)
    {
        _activities[activity] = input => answer((TIn)input!);
        return this;
    }

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        Calls.Add((name.Name, input));
        return _activities.TryGetValue(name.Name, out var answer)
            ? Task.FromResult((TResult)answer(input)!)
            : Task.FromResult(default(TResult)!);
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        Timers.Add(fireAt);
        _now = fireAt > _now ? fireAt : _now;
        return Task.CompletedTask;
    }

    public override void SetCustomStatus(object? customStatus) => Statuses.Add(customStatus);

    public override T GetInput<T>() => throw new NotSupportedException();

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public override void SendEvent(string instanceId, string eventName, object payload) => throw new NotSupportedException();

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException();

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) => throw new NotSupportedException();

    public override Guid NewGuid() => Guid.NewGuid();
}
