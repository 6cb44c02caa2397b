using Microsoft.DurableTask;

namespace Paraphrase.Functions.Durable;

/// <summary>The activity context the pipeline's class-based activities take, for an activity invoked as a function.</summary>
internal sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
