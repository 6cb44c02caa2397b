namespace Paraphrase.Pipeline.Contracts;

/// <summary>The dataset after ingest: one normalized JSONL blob a split (in the run folder), with its statistics.</summary>
public sealed record IngestResult(IReadOnlyList<IngestedSplit> Splits, bool HeldOutDev)
{
    public IngestedSplit Split(string name) => Splits.First(s => s.Name == name);

    public IngestedSplit? TryGet(string name) => Splits.FirstOrDefault(s => s.Name == name);
}

public sealed record IngestedSplit(string Name, string Blob, string ContentHash, int Pairs, int Positives, string Source);

/// <summary>The base model staged by the worker: where it is and what tokenization it needs.</summary>
public sealed record BaseModelInfo(string Key, string Source, string Folder, string VocabularySha256, int MaxLength, int Layers, int HiddenSize);

/// <summary>Token shards of every split, cached by dataset hash + vocabulary hash + max length.</summary>
public sealed record TokenizeResult(IReadOnlyList<TokenShardRef> Shards);

public sealed record TokenShardRef(string Split, string Key, string Blob, int Pairs, int Truncated, bool CacheHit);

/// <summary>Metrics on one split, for the candidate and (when there is one) the champion on the same data.</summary>
public sealed record SplitScore(string Split, MetricSummary Candidate, MetricSummary? Champion);

public sealed record MetricSummary(int Count, double Accuracy, double F1, double Precision, double Recall)
{
    public double Get(string metric) => metric.ToLowerInvariant() switch
    {
        "accuracy" => Accuracy,
        "f1" => F1,
        "precision" => Precision,
        "recall" => Recall,
        _ => throw new ArgumentException($"unknown metric '{metric}': use accuracy, f1, precision or recall"),
    };

    public static MetricSummary From(Core.Metrics.ClassificationMetrics m) => new(m.Count, m.Accuracy, m.F1, m.Precision, m.Recall);
}

/// <summary>The evaluation of the exported candidate with ONNX Runtime, against the champion it was compared with.</summary>
public sealed record CandidateEvaluation(IReadOnlyList<SplitScore> Scores, string? ChampionRunId, string? ChampionETag, bool ParityPassed, string Variant)
{
    public SplitScore Dev => Scores.First(s => s.Split == "dev");
}

/// <summary>What the gate decided and why.</summary>
public sealed record PromotionDecision(bool Promoted, string Reason, string? PreviousChampion, bool ChampionChanged = false);

/// <summary>The orchestration's output.</summary>
public sealed record PipelineRunOutput(string RunId, MetricSummary Metrics, bool Promoted, string Reason, string Model, MetricSummary? ChampionMetrics);

/// <summary>Input of activities that only need the run.</summary>
public sealed record RunRef(string RunId);

public static class DatasetNames
{
    public static readonly string[] Splits = ["train", "dev", "test"];

    // The extensions DatasetReader reads.
    private static readonly string[] DataExtensions = [".tsv", ".tab", ".csv", ".jsonl", ".ndjson", ".json"];

    /// <summary>Dataset names become blob folders and run ids: lowercase letters, digits and dashes.</summary>
    public static bool IsValid(string dataset) =>
        dataset.Length is > 0 and <= 48 && dataset.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && dataset[0] != '-';

    /// <exception cref="Orchestration.PipelineFailedException">The name is not one (<see cref="IsValid"/>).</exception>
    public static void Validate(string dataset)
    {
        if (!IsValid(dataset))
        {
            throw new Orchestration.PipelineFailedException($"dataset name '{dataset}' must be 1-48 lowercase letters, digits or dashes, starting with a letter or digit");
        }
    }

    /// <summary>The role of an uploaded file from its name: train.tsv → train, pipeline.json → pipeline.</summary>
    public static string? RoleOf(string fileName)
    {
        string stem = Path.GetFileNameWithoutExtension(fileName).ToLowerInvariant();
        if (fileName.Equals("pipeline.json", StringComparison.OrdinalIgnoreCase))
        {
            return "pipeline";
        }

        return Splits.Contains(stem) && DataExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()) ? stem : null;
    }
}
