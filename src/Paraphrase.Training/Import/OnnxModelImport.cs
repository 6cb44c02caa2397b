using System.Text.Json;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Modeling;

namespace Paraphrase.Training.Import;

/// <summary>Turns an ONNX BERT export plus its vocabulary into a verified Hugging Face model directory.</summary>
public static class OnnxModelImport
{
    /// <summary>Largest difference from the ONNX file's own outputs that still counts as a faithful import.</summary>
    public const double Tolerance = 1e-4;

    public static ImportSummary ToDirectory(string onnxPath, string vocabularyPath, string outputDirectory, int? numAttentionHeads = null, Action<string>? log = null)
    {
        if (!File.Exists(onnxPath))
        {
            throw new ModelFormatException($"{onnxPath}: no such file.");
        }

        var vocabulary = WordPieceVocabulary.Load(vocabularyPath);
        var imported = OnnxBertImporter.Import(onnxPath, numAttentionHeads);
        if (vocabulary.Count > imported.Config.VocabSize)
        {
            throw new ModelFormatException(
                $"{vocabularyPath}: {vocabulary.Count:N0} tokens, but the model's embedding has {imported.Config.VocabSize:N0} rows; this vocabulary does not belong to {onnxPath}.");
        }

        using var model = new BertForSequenceClassification(imported.Config);
        var report = WeightLoader.Load(model, imported.Weights, onnxPath);
        foreach (var tensor in imported.Weights.Values)
        {
            tensor.Dispose();
        }

        var missingBody = report.Missing.Where(k => !k.StartsWith("classifier.", StringComparison.Ordinal) && !k.StartsWith("bert.pooler.", StringComparison.Ordinal)).ToList();
        if (missingBody.Count > 0)
        {
            throw new ModelFormatException($"{onnxPath}: not a complete BERT encoder; missing {string.Join(", ", missingBody.Take(5))}.");
        }

        if (report.Missing.Any(k => k.StartsWith("bert.pooler.", StringComparison.Ordinal)))
        {
            log?.Invoke("The export has no pooler; it starts from fresh weights and is trained with the classifier.");
        }

        var tokenizer = new BertWordPieceTokenizer(vocabulary);
        double difference = OnnxImportVerifier.MaxDifference(onnxPath, model, tokenizer);
        if (difference > Tolerance)
        {
            throw new ModelFormatException(
                $"{onnxPath}: the imported weights do not reproduce the file's outputs (max difference {difference:E2} > {Tolerance:E0}); " +
                "the export is not a standard Hugging Face BERT, or --num-heads is wrong.");
        }

        var summary = new ImportSummary(onnxPath, FileHash.Sha256(onnxPath), imported.Config.NumHiddenLayers, imported.Config.HiddenSize,
            imported.Config.NumAttentionHeads, difference, [.. report.Missing]);
        AtomicDirectory.Write(outputDirectory, staging =>
        {
            // Weights the export did not have (the classifier head, maybe the pooler) are left out, not saved at random:
            // fine-tuning initialises them from its own seed.
            HuggingFaceDirectory.WriteFiles(model, vocabulary, staging, leaveOut: [.. report.Missing]);
            File.WriteAllText(Path.Combine(staging, "import.json"), JsonSerializer.Serialize(summary, JsonDefaults.Options));
        });
        return summary;
    }
}

/// <summary>What an import found and how closely it reproduces the ONNX file.</summary>
public sealed record ImportSummary(string Source, string SourceSha256, int Layers, int HiddenSize, int Heads, double MaxDifference, IReadOnlyList<string> FreshWeights);
