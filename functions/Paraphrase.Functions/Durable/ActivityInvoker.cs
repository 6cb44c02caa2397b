using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Paraphrase.Functions.Durable;

/// <summary>Runs one of the pipeline's class-based activities inside a function invocation, built from the app's services.</summary>
internal static class ActivityInvoker
{
    /// <param name="extra">Constructor arguments the container does not hold (e.g. the invocation's durable client).</param>
    public static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(FunctionContext function, string instanceId, TInput input, params object[] extra)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = ActivatorUtilities.CreateInstance<TActivity>(function.InstanceServices, extra);
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId), input);
    }
}
