using System.Text.Json.Nodes;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;

namespace Paraphrase.Onnx;

/// <summary>
/// The pairs whose activations calibrate the int8 export (labels are not needed). In order of preference: the
/// file named for it; the run's own training data, when metrics.json names a file that is still there (so the
/// dev split stays unseen until the check); the dev split; the built-in sample.
/// </summary>
internal static class CalibrationData
{
    /// <summary>Pairs taken from the start of the chosen file: enough tokens for MiniLM- and BERT-sized layers.</summary>
    public const int PairCount = 256;

    public static (IReadOnlyList<EncodedPair> Pairs, string Source) Choose(string? calibrationFile, string modelDirectory, string? devFile,
        TokenizedDataset check, BertWordPieceTokenizer tokenizer, Action<string>? log)
    {
        if (calibrationFile is not null)
        {
            return (Read(calibrationFile, tokenizer), Path.GetFileName(calibrationFile));
        }

        if (TrainingFile(modelDirectory) is { } training)
        {
            try
            {
                return (Read(training, tokenizer), Path.GetFileName(training) + ", the training data of the run");
            }
            catch (DatasetException e)
            {
                log?.Invoke($"The run's training data cannot be used for calibration ({e.Message}); pass --calibration <file>.");
            }
        }

        return (check.Pairs.Take(PairCount).ToList(), devFile is null ? "the built-in sample" : Path.GetFileName(devFile));
    }

    private static List<EncodedPair> Read(string file, BertWordPieceTokenizer tokenizer) =>
        [.. DatasetReader.Read(file).Pairs.Take(PairCount).Select(p => tokenizer.Encode(p.Sentence1, p.Sentence2))];

    /// <summary>The training file metrics.json names (relative paths as the run was started from here), if it still exists.</summary>
    private static string? TrainingFile(string modelDirectory)
    {
        string metrics = Path.Combine(modelDirectory, "metrics.json");
        if (!File.Exists(metrics))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(metrics))?["train"]?["source"]?.GetValue<string>() is { } source && File.Exists(source) ? source : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
