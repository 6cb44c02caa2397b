using Paraphrase.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Paraphrase.Benchmarks -- tokenizer [--data <dir>] [--rounds N]
var arguments = args.ToList();
if (arguments.Count == 0 || arguments.Contains("--help") || arguments.Contains("-h"))
{
    Console.WriteLine("""
        usage: Paraphrase.Benchmarks <benchmark> [options]

        benchmarks:
          tokenizer   MRPC train tokenization on one core: this project's Hugging Face-exact tokenizer,
                      Microsoft.ML.Tokenizers' BertTokenizer and Hugging Face's Rust tokenizer (Tokenizers.DotNet)
          inference   CPU inference of an export directory (portable, fused, int8) next to the off-the-shelf
                      all-MiniLM-L6-v2 ONNX file and TorchSharp eager: single-pair latency, batch-32 throughput
                      (--model <export dir> --source <run dir>, --threads N, --seconds S; --variants fused,portable
                      to pick exports; --exports-only to skip the other two; --results <file> for tab-separated rows;
                      --provider cuda for ONNX Runtime's CUDA provider, exports only, an error if CUDA cannot be used:
                      build with -p:OnnxRuntimeBackend=gpu, see benchmarks/gpu/serve-speed.sh)
          optimizer   AdamW step + zero_grad on a model's parameters: TorchSharp's per-tensor step against the
                      project's multi-tensor one (--shape minilm|bert-base, --rounds N)
          serving     the HTTP service on loopback under 16 and 64 clients vs raw batched ONNX Runtime
                      (--model <export dir>, --threads N, --seconds S)
          durable     the local durable backend (DTFx Azure Storage provider on Azurite via the sidecar): start to
                      first orchestration, and the round trip of one activity, p50/p99 (--activities N)
          pipeline    MRPC through the local pipeline host (upload to promoted champion) against the same stages
                      called directly: TrainingRun, the exporter, ONNX Runtime evaluation; each side in a fresh process,
                      alternating direct, pipeline, direct (--pipelines N pipeline runs, default 1; --quick for 1 epoch
                      on 1,600 pairs)
          worker      trainer workers as processes (build src/Paraphrase.Cli first): a worker killed mid-training and its
                      successor (time to resume, steps redone), then ten datasets at once with one and with two workers

        options:
          --root <dir>   repository root (default: found from the working directory)
          --rounds <N>   timed passes over the data (default 15)
        """);
    return arguments.Count == 0 ? 2 : 0;
}

string root = Option("--root") ?? FindRepositoryRoot();
int rounds = int.Parse(Option("--rounds") ?? "15", System.Globalization.CultureInfo.InvariantCulture);
return arguments[0] switch
{
    "tokenizer" => TokenizerBenchmark.Run(root, rounds),
    "inference" => InferenceBenchmark.Run(root, Option("--model") ?? Path.Combine(root, "models", "mrpc"), Option("--source") ?? Path.Combine(root, "runs", "mrpc"),
        int.Parse(Option("--threads") ?? "2", System.Globalization.CultureInfo.InvariantCulture), double.Parse(Option("--seconds") ?? "10", System.Globalization.CultureInfo.InvariantCulture),
        Option("--provider") ?? "cpu", arguments.Contains("--exports-only"),
        Option("--variants")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), Option("--results")),
    "optimizer" => OptimizerBenchmark.Run(Option("--shape") ?? "minilm", rounds),
    "serving" => ServingBenchmark.Run(root, Option("--model") ?? Path.Combine(root, "models", "mrpc"),
        int.Parse(Option("--threads") ?? "2", System.Globalization.CultureInfo.InvariantCulture), double.Parse(Option("--seconds") ?? "30", System.Globalization.CultureInfo.InvariantCulture)),
    "durable" => await DurableBenchmark.RunAsync(int.Parse(Option("--activities") ?? "50", System.Globalization.CultureInfo.InvariantCulture)),
    "pipeline" => await PipelineBenchmark.RunAsync(root, arguments.Contains("--quick"), int.Parse(Option("--pipelines") ?? "1", System.Globalization.CultureInfo.InvariantCulture)),
    "pipeline-side" => await PipelineBenchmark.RunSideAsync(root, arguments[1], arguments.Contains("--quick")),
    "worker" => await WorkerBenchmark.RunAsync(root),
    var other => Fail($"unknown benchmark '{other}'; run with --help"),
};

string? Option(string name)
{
    int index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository or pass --root <dir>.");
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}");
    return 2;
}
