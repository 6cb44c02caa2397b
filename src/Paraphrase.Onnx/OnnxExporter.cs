using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Inference;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Onnx;

/// <summary>
/// Exports a trained checkpoint to ONNX and proves each file before publishing it: ONNX Runtime's logits are
/// compared with TorchSharp's on the dev split (or a built-in sample), and a failed check fails the export.
/// The output directory is servable as is: model.&lt;variant&gt;.onnx, model.&lt;variant&gt;.json, vocab.txt, config.json.
/// </summary>
public static class OnnxExporter
{
    private static readonly (string, string)[] SamplePairs =
    [
        ("The company said its quarterly profit rose 10 percent.", "Quarterly profits at the company increased by a tenth."),
        ("He left.", "She stayed at home all day because of the storm, reading a long novel about the sea and its sailors."),
        ("Amrozi accused his brother, whom he called \"the witness\", of deliberately distorting his evidence.", "Referring to him as only \"the witness\", Amrozi accused his brother of deliberately distorting his evidence."),
        ("Stocks fell.", "Stocks fell."),
    ];

    /// <param name="calibrationFile">Pairs whose activations calibrate the int8 weights (see <see cref="CalibrationData"/>).</param>
    /// <param name="cancellationToken">Checked between batches (reference logits, calibration, checks) and between variants.</param>
    /// <exception cref="OperationCanceledException">Cancelled; nothing was written (every file is staged until all variants pass).</exception>
    public static IReadOnlyList<ExportManifest> Export(string modelDirectory, string outputDirectory, IReadOnlyList<OnnxVariant> variants,
        string? devFile = null, Action<string>? log = null, string? calibrationFile = null, CancellationToken cancellationToken = default)
    {
        var loaded = HuggingFaceDirectory.Load(modelDirectory, headMayBeMissing: false);
        using var model = loaded.Model;
        model.eval();
        var tokenizer = new BertWordPieceTokenizer(loaded.Vocabulary, new BertTokenizerOptions { MaxLength = model.Config.MaxSequenceLength });
        var check = CheckData(tokenizer, devFile);
        bool labelled = devFile is not null;
        var reference = Evaluator.Logits(model, check.Pairs, 16, CPU, tokenizer.PaddingId, cancellationToken);
        string sourceHash = FileHash.Sha256(Path.Combine(modelDirectory, StateDictFiles.SafetensorsName));
        string metricsFile = Path.Combine(modelDirectory, RunMetrics.FileName);
        var run = File.Exists(metricsFile) ? RunMetrics.Load(metricsFile) : null;

        var (gptq, quantization) = variants.Contains(OnnxVariant.Int8)
            ? CalibrateInt8(model, CalibrationData.Choose(calibrationFile, run?.Train.Source, devFile, check, tokenizer, log), tokenizer.PaddingId, log, cancellationToken)
            : (null, null);
        using var calibrated = gptq;
        var manifests = new List<ExportManifest>();
        AtomicDirectory.Write(outputDirectory, staging =>
        {
            foreach (var variant in variants)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = variant.ToString().ToLowerInvariant();
                log?.Invoke($"Exporting {name}...");
                byte[] bytes = BertOnnxBuilder.Build(model, variant, gptq).ToByteArray();
                var verification = Verify(bytes, check, reference, tokenizer.PaddingId, labelled, cancellationToken);
                if (verification.Failure(variant) is { } failure)
                {
                    string others = string.Join(",", variants.Where(v => v != variant).Select(v => v.ToString().ToLowerInvariant()));
                    throw new ModelFormatException($"the {name} export failed its check and nothing was written: {failure}." +
                        (others.Length > 0 ? $" The other variants can be exported on their own (--variant {others})." : ""));
                }

                string file = ExportFiles.ModelFile(name);
                File.WriteAllBytes(Path.Combine(staging, file), bytes);
                var manifest = new ExportManifest(name, file, ["input_ids", "attention_mask", "token_type_ids"], ["logits"], BertOnnxBuilder.Opset,
                    variant == OnnxVariant.Portable ? ["ai.onnx"] : ["ai.onnx", "com.microsoft"], loaded.Vocabulary.Sha256, sourceHash,
                    Path.GetFullPath(modelDirectory), verification, variant == OnnxVariant.Int8 ? quantization : null, DateTimeOffset.UtcNow, run?.History);
                manifest.Save(Path.Combine(staging, ExportFiles.ManifestFile(name)));
                manifests.Add(manifest);
                log?.Invoke($"  {file}: {bytes.Length / 1e6:F1} MB, max |Δlogit| {verification.MaxAbsoluteDifference:E1}, mean {verification.MeanAbsoluteDifference:E1}, agreement {verification.ArgmaxAgreement:P1}" +
                    (verification.ExportAccuracy is double accuracy ? $", accuracy {accuracy:P2} (TorchSharp {verification.SourceAccuracy:P2})" : ""));
            }

            File.WriteAllText(Path.Combine(staging, HuggingFaceDirectory.VocabularyName), string.Join('\n', loaded.Vocabulary.Tokens) + "\n");
            model.Config.Save(Path.Combine(staging, HuggingFaceDirectory.ConfigName));
        });
        return manifests;
    }

    /// <returns>GPTQ statistics, or none (round to nearest) when the calibration pairs hold too few tokens; and how the weights were rounded.</returns>
    private static (GptqQuantizer? Gptq, string Description) CalibrateInt8(BertForSequenceClassification model,
        (IReadOnlyList<EncodedPair> Pairs, string Source) calibration, int paddingId, Action<string>? log, CancellationToken cancellationToken)
    {
        log?.Invoke($"Calibrating int8 weights (GPTQ) on {calibration.Pairs.Count} pairs of {calibration.Source}...");
        var gptq = GptqQuantizer.Calibrate(model, calibration.Pairs, paddingId, cancellationToken);
        if (gptq.Tokens >= GptqQuantizer.MinimumTokens)
        {
            return (gptq, $"GPTQ, calibrated on {calibration.Pairs.Count} pairs ({gptq.Tokens} tokens) of {calibration.Source}");
        }

        gptq.Dispose();
        log?.Invoke($"  {gptq.Tokens} tokens are too few to calibrate on (at least {GptqQuantizer.MinimumTokens}); rounding weights to nearest. Pass --calibration <file>.");
        return (null, $"round to nearest ({calibration.Source} has too few tokens for GPTQ)");
    }

    /// <summary>The dev split when given (labels used for accuracy), otherwise a small built-in sample.</summary>
    private static TokenizedDataset CheckData(BertWordPieceTokenizer tokenizer, string? devFile)
    {
        if (devFile is not null)
        {
            return TokenizedDataset.From(DatasetReader.Read(devFile), tokenizer);
        }

        var pairs = SamplePairs.Select(p => tokenizer.Encode(p.Item1, p.Item2)).ToList();
        return new TokenizedDataset("built-in sample", "", pairs, new int[pairs.Count]);
    }

    /// <param name="labelled">Whether <paramref name="data"/> has real labels (the dev split) for the accuracy figures.</param>
    private static ExportVerification Verify(byte[] onnx, TokenizedDataset data, float[][] reference, int paddingId, bool labelled, CancellationToken cancellationToken)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        var collator = new PaddingCollator(paddingId);
        double maxDifference = 0, differenceSum = 0;
        int values = 0;
        int agree = 0, sourceCorrect = 0, exportCorrect = 0;
        foreach (var indices in BatchPlan.Sequential(data.Count, 16))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var results = session.Run(OnnxInputs.From(collator.Collate(data.Pairs, null, indices)));
            var logits = results[0].AsTensor<float>();
            for (int row = 0; row < indices.Length; row++)
            {
                var expected = reference[indices[row]];
                var actual = Enumerable.Range(0, expected.Length).Select(j => logits[row, j]).ToArray();
                var differences = expected.Zip(actual, (a, b) => (double)Math.Abs(a - b)).ToArray();
                maxDifference = Math.Max(maxDifference, differences.Max());
                differenceSum += differences.Sum();
                values += differences.Length;
                int expectedLabel = Array.IndexOf(expected, expected.Max()), actualLabel = Array.IndexOf(actual, actual.Max());
                agree += expectedLabel == actualLabel ? 1 : 0;
                sourceCorrect += expectedLabel == data.Labels[indices[row]] ? 1 : 0;
                exportCorrect += actualLabel == data.Labels[indices[row]] ? 1 : 0;
            }
        }

        return new ExportVerification(data.Count, maxDifference, (double)agree / data.Count,
            labelled ? (double)sourceCorrect / data.Count : null, labelled ? (double)exportCorrect / data.Count : null)
        {
            MeanAbsoluteDifference = differenceSum / Math.Max(values, 1),
        };
    }

}
