using System.Reflection;
using Microsoft.DurableTask;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>Writes run.json (one blob, replaced whole), stamped with the code version that ran the pipeline.</summary>
public sealed class RecordRunActivity(ArtifactStore store) : TaskActivity<RecordRunInput, bool>
{
    private static readonly string CodeVersion =
        typeof(RecordRunActivity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public override async Task<bool> RunAsync(TaskActivityContext context, RecordRunInput input)
    {
        await store.WriteJsonAsync(ArtifactPaths.RunRecord(input.Record.RunId), input.Record with { CodeVersion = CodeVersion });
        return true;
    }
}
