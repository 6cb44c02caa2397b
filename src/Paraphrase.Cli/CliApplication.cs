using System.Runtime.InteropServices;
using Paraphrase.Cli.Commands;
using Paraphrase.Cli.Console;
using Paraphrase.Core.Datasets;
using Paraphrase.Core.Tokenization;
using Paraphrase.Inference;
using Paraphrase.Training.FineTuning;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Runtime;
using Spectre.Console.Cli;

namespace Paraphrase.Cli;

/// <summary>The <c>paraphrase</c> command: its commands, and one place that turns failures into one-line causes.</summary>
public static class CliApplication
{
    public static int Run(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Stop(cancellation);
        };

        // SIGTERM (docker stop, Kubernetes, systemd) stops a command the way Ctrl-C does: train checkpoints, serve drains.
        using var termination = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Stop(cancellation);
        });

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("paraphrase");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<DemoCommand>("demo")
                .WithExample("demo")
                .WithExample("demo", "--quick");
            config.AddCommand<TokenizeCommand>("tokenize")
                .WithExample("tokenize", "--input", "data/mrpc/train.tsv", "--output", "out/train.tokens.jsonl")
                .WithExample("tokenize", "--input", "pairs.csv", "--max-length", "128", "--output", "pairs.tokens.jsonl");
            config.AddCommand<TrainCommand>("train")
                .WithExample("train", "--train", "data/mrpc/train.tsv", "--dev", "data/mrpc/dev.tsv", "--output", "runs/mrpc")
                .WithExample("train", "--train", "data/mrpc/train.tsv", "--dev", "data/mrpc/dev.tsv", "--base-model", "bert-base-uncased", "--output", "runs/bert");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithExample("evaluate", "--model", "runs/mrpc", "--data", "data/mrpc/dev.tsv", "--output", "dev-metrics.json");
            config.AddCommand<ExportCommand>("export")
                .WithExample("export", "--model", "runs/mrpc", "--output", "models/mrpc", "--dev", "data/mrpc/dev.tsv");
            config.AddCommand<PredictCommand>("predict")
                .WithExample("predict", "--model", "models/mrpc", "--sentence1", "The cat sat.", "--sentence2", "A cat was sitting.")
                .WithExample("predict", "--model", "models/mrpc", "--input", "pairs.tsv", "--output", "predictions.jsonl");
            config.AddCommand<ServeCommand>("serve")
                .WithExample("serve", "--model", "models/mrpc", "--port", "8080", "--api-key", "change-me")
                .WithExample("serve", "--model", "models/champion.json", "--no-auth");
            config.AddBranch("model", model =>
            {
                model.SetDescription("Get pretrained models: pull by name, or import an ONNX export.");
                model.AddCommand<ModelPullCommand>("pull")
                    .WithExample("model", "pull", "minilm", "--output", "models/minilm");
                model.AddCommand<ModelImportCommand>("import")
                    .WithExample("model", "import", "--onnx", "model.onnx", "--vocab", "vocab.txt", "--output", "models/imported");
            });
            config.AddBranch("data", data =>
            {
                data.SetDescription("Work with sentence-pair datasets.");
                data.AddCommand<DataInspectCommand>("inspect")
                    .WithExample("data", "inspect", "--input", "data/mrpc/train.tsv");
                data.AddCommand<DataUploadCommand>("upload")
                    .WithExample("data", "upload", "--input", "data/mrpc/train.tsv", "--dataset", "mrpc")
                    .WithExample("data", "upload", "--input", "my-settings.json", "--dataset", "mrpc", "--as", "pipeline");
            });
            config.AddCommand<HostCommand>("host")
                .WithExample("host", "--no-auth")
                .WithExample("host", "--api-key", "change-me", "--retrain-schedule", "0 3 * * 1");
            config.AddCommand<WorkerCommand>("worker")
                .WithExample("worker", "--storage", "UseDevelopmentStorage=true", "--device", "cuda")
                .WithExample("worker", "--max-jobs", "1", "--idle-exit", "5m");
            config.AddBranch("runs", runs =>
            {
                runs.SetDescription("Follow the pipeline's runs on a host.");
                runs.AddCommand<RunsListCommand>("list").WithExample("runs", "list", "--dataset", "mrpc");
                runs.AddCommand<RunsShowCommand>("show").WithExample("runs", "show", "mrpc-0123456789ab");
                runs.AddCommand<RunsWatchCommand>("watch").WithExample("runs", "watch", "mrpc-0123456789ab");
            });
        });

        try
        {
            return app.Run(args, cancellation.Token);
        }
        catch (Exception e)
        {
            return ReportFailure(e, verbose: args.Contains("--verbose"));
        }
    }

    private static int ReportFailure(Exception e, bool verbose)
    {
        if (verbose)
        {
            System.Console.Error.WriteLine(e.ToString());
        }

        var (message, code) = e switch
        {
            DatasetException or TokenizationException or Pipeline.Orchestration.PipelineFailedException or Pipeline.Api.PipelineApiException or LibTorchUnavailableException or ModelFormatException or TrainingException or InferenceException
                or ArgumentException => (e.Message, 1),
            CommandParseException or CommandRuntimeException => ($"{e.Message} (add --help for usage)", 2),
            OperationCanceledException => ("cancelled; nothing was written", 130),
            IOException or UnauthorizedAccessException => (e.Message, 1),
            HttpRequestException => ($"cannot reach the host ({e.Message}); is 'paraphrase host' running, and is --url right?", 1),
            _ => ($"unexpected {e.GetType().Name}: {e.Message} (run again with --verbose for details)", 70),
        };
        if (!verbose)
        {
            Terminal.Fail(message);
        }

        return code;
    }

    /// <summary>
    /// Asks the running command to stop, from a signal handler. Cancellation callbacks (hosts, servers, loops) run on
    /// the thread pool, not on the signal's thread: one that throws must not become an unhandled exception there, which
    /// would abort the process (exit 134) instead of letting it stop cleanly. A signal after the command ended does nothing.
    /// </summary>
    private static void Stop(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.CancelAsync().ContinueWith(t => System.Console.Error.WriteLine($"warning: while stopping: {t.Exception!.GetBaseException().Message}"),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
