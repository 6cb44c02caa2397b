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

    /// <param name="trainingFile">The training file the run's metrics.json names (a relative path is taken from here).</param>
    public static (IReadOnlyList<EncodedPair> Pairs, string Source) Choose(string? calibrationFile, string? trainingFile, string? devFile,
        TokenizedDataset check, BertWordPieceTokenizer tokenizer, Action<string>? log)
    {
        if (calibrationFile is not null)
        {
            return (Read(calibrationFile, tokenizer), Path.GetFileName(calibrationFile));
        }

        if (trainingFile is { } training && File.Exists(training))
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
        [.. DatasetReader.Read(file, new DatasetOptions { RequireLabels = false, FirstPairsOnly = PairCount }).Pairs.Select(p => tokenizer.Encode(p.Sentence1, p.Sentence2))];
}
