namespace Paraphrase.Pipeline.Orchestration;

/// <summary>The stage names shown in status, run.json and the CLI.</summary>
public static class PipelineStages
{
    public const string Ingest = "ingest", PrepareBaseModel = "prepare-base-model", Tokenize = "tokenize", Train = "fine-tune",
        Export = "export", Evaluate = "evaluate", Promote = "promote", Done = "done", Failed = "failed";

    /// <summary>In the order they run, for progress displays.</summary>
    public static readonly string[] Ordered = [Ingest, PrepareBaseModel, Tokenize, Train, Export, Evaluate, Promote];
}
