using Microsoft.DurableTask;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Metrics;
using Paraphrase.Inference;
using Paraphrase.Pipeline.Contracts;
using Paraphrase.Pipeline.Promotion;
using Paraphrase.Pipeline.Storage;

namespace Paraphrase.Pipeline.Activities;

/// <summary>
/// Scores the exported candidate with ONNX Runtime — the model as it would be served — on the run's dev split (and test
/// split when there is one), and the current champion on the very same pairs. The result is saved as evaluation.json
/// and reused while the champion stays the same.
/// </summary>
public sealed class EvaluateCandidateActivity(ArtifactStore store, ChampionStore champions, ModelCache models, PipelineOptions options)
    : TaskActivity<EvaluateInput, CandidateEvaluation>
{
    private const string Variant = "fused";

    public override async Task<CandidateEvaluation> RunAsync(TaskActivityContext context, EvaluateInput input)
    {
        var champion = await champions.GetAsync();
        string? championRun = champion?.Pointer.RunId == input.RunId ? null : champion?.Pointer.RunId;
        string? championTag = champion?.ETag.ToString();
        var saved = await store.ReadJsonAsync<CandidateEvaluation>(ArtifactPaths.Evaluation(input.RunId));
        if (saved?.Value is { } previous && previous.ChampionETag == championTag)
        {
            return previous;
        }

        string candidate = await models.ExportAsync(input.RunId);
        bool parity = ParityChecked(Path.Combine(candidate, $"model.{Variant}.json"));
        string? championDirectory = championRun is null ? null : await models.ExportAsync(championRun);
        var scores = new List<SplitScore>();
        foreach (var split in input.Data.Splits.Where(s => s.Name != "train"))
        {
            var pairs = DatasetReader.Read(new MemoryStream(await store.ReadBytesAsync(new BlobPath(ArtifactPaths.Runs, split.Blob))), split.Blob, DatasetFormat.Jsonl).Pairs;
            scores.Add(new SplitScore(split.Name, Score(candidate, pairs), championDirectory is null ? null : Score(championDirectory, pairs)));
        }

        var result = new CandidateEvaluation(scores, championRun, championTag, parity, Variant);
        await store.WriteJsonAsync(ArtifactPaths.Evaluation(input.RunId), result);
        return result;
    }

    private MetricSummary Score(string modelDirectory, IReadOnlyList<SentencePair> pairs)
    {
        using var classifier = ParaphraseClassifier.Open(modelDirectory, options: options.Inference with { Variant = Variant });
        var predictions = new List<int>(pairs.Count);
        foreach (var chunk in pairs.Chunk(32))
        {
            predictions.AddRange(classifier.PredictBatch([.. chunk.Select(p => (p.Sentence1, p.Sentence2))]).Select(p => p.Label));
        }

        return MetricSummary.From(ClassificationMetrics.From([.. pairs.Select(p => p.Label!.Value)], predictions));
    }

    /// <summary>
    /// The exporter writes a variant's manifest only once the model agreed with TorchSharp within its tolerance, with the
    /// figures in it: a manifest that reads, names this variant and carries parity figures for at least one pair is that
    /// verdict. A missing or unreadable one is not.
    /// </summary>
    internal static bool ParityChecked(string manifestPath)
    {
        try
        {
            var manifest = ExportManifest.Load(manifestPath);
            return manifest.Variant == Variant && manifest.Parity.Pairs > 0 && double.IsFinite(manifest.Parity.MaxAbsoluteDifference);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            return false;
        }
    }
}
