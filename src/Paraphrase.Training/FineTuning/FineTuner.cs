using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Paraphrase.Core.Artifacts;
using Paraphrase.Core.Collation;
using Paraphrase.Core.IO;
using Paraphrase.Core.Tokenization;
using Paraphrase.Training.Checkpoints;
using Paraphrase.Training.Data;
using Paraphrase.Training.Modeling;
using Paraphrase.Training.Optimization;
using Paraphrase.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>
/// The training loop: shuffled padded batches, AdamW with a linear schedule, evaluation after every epoch,
/// the best model kept, a checkpoint after every epoch, on cancellation and at the <see cref="CheckpointCadence"/> that
/// <c>--resume</c> continues from exactly.
/// </summary>
public sealed class FineTuner(TrainingOptions options, ITrainingObserver observer, CheckpointCadence? cadence = null)
{
    private readonly CheckpointCadence _cadence = cadence ?? CheckpointCadence.EpochsOnly;

    /// <summary>Fine-tunes <paramref name="model"/> (already on <paramref name="device"/>) and fills the run directory.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint was saved first.</exception>
    public TrainerState Run(BertForSequenceClassification model, WordPieceVocabulary vocabulary, TokenizedDataset train,
        TokenizedDataset dev, RunLayout run, Device device, bool resume, CancellationToken cancellationToken)
    {
        options.Validate();
        RequireBothClasses(train);
        int paddingId = vocabulary.GetRequiredId("[PAD]");
        var collator = new PaddingCollator(paddingId);
        var lengths = train.Pairs.Select(p => p.Length).ToArray();
        int batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        int totalSteps = options.TotalOptimizerSteps(batchesPerEpoch);
        var schedule = new LinearSchedule(options.ResolveWarmupSteps(totalSteps), totalSteps);
        string fingerprint = Fingerprint(model.Config, train, dev);
        using var optimizer = AdamWFactory.Create(model, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon,
            options.WeightDecay, decayBiasAndNorm: !options.NoDecayOnBiasAndNorm);

        var state = resume ? Restore(model, optimizer, run, fingerprint) : new TrainerState { Fingerprint = fingerprint };
        using var lossLog = new StepLossLog(options.LogEvery ?? 1, state.StepLosses, observer);
        observer.OnStart(totalSteps, state.OptimizerSteps, device.ToString());
        var clock = Stopwatch.StartNew();
        double secondsBefore = state.TrainingSeconds;
        int lastCheckpointStep = state.OptimizerSteps;
        var sinceCheckpoint = Stopwatch.StartNew();
        model.train();

        for (int epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            int stepsAtEpochStart = state.OptimizerSteps - (state.Epoch == epoch ? state.BatchInEpoch / options.GradientAccumulation : 0);
            var batches = options.GroupByLength
                ? BatchPlan.LengthGrouped(lengths, options.BatchSize, options.Seed, epoch)
                : BatchPlan.Shuffled(train.Count, options.BatchSize, options.Seed, epoch);
            int firstBatch = state.Epoch == epoch ? state.BatchInEpoch : 0;
            Tensor? stepLoss = null;
            int stepsThisRun = 0;
            var stepClock = Stopwatch.StartNew();

            for (int b = firstBatch; b < batches.Count; b++)
            {
                if (b % options.GradientAccumulation == 0 && cancellationToken.IsCancellationRequested)
                {
                    lossLog.Read();
                    state = state with { Epoch = epoch, BatchInEpoch = b, TrainingSeconds = secondsBefore + clock.Elapsed.TotalSeconds };
                    SaveCheckpoint(model, vocabulary, optimizer, state, run);
                    observer.OnCheckpoint(run.Directory);
                    observer.OnMessage($"Interrupted at epoch {epoch + 1}, step {state.OptimizerSteps}; checkpoint saved. Continue with --resume.");
                    cancellationToken.ThrowIfCancellationRequested();
                }

                double learningRate = options.LearningRate * schedule.Factor(state.OptimizerSteps);
                AdamWFactory.SetLearningRate(optimizer, learningRate);
                // Dropout depends only on (seed, batch position), so a resumed run draws the same masks.
                manual_seed((long)(options.Seed * 1_000_003UL + (ulong)(epoch * batchesPerEpoch + b)));
                var batchLoss = ForwardBackward(model, collator.Collate(train.Pairs, train.Labels, batches[b]), device);
                if (stepLoss is null)
                {
                    stepLoss = batchLoss;
                }
                else
                {
                    using (batchLoss)
                    {
                        stepLoss.add_(batchLoss, HeldScalars.One);
                    }
                }

                bool lastOfStep = (b + 1) % options.GradientAccumulation == 0 || b == batches.Count - 1;
                if (!lastOfStep)
                {
                    continue;
                }

                if (options.MaxGradNorm is double maxNorm)
                {
                    GradientClipping.ClipGlobalNorm(model.parameters(), maxNorm).Dispose();
                }

                optimizer.step();
                optimizer.zero_grad();
                state = state with { OptimizerSteps = state.OptimizerSteps + 1 };
                stepsThisRun++;
                lossLog.Add(new TrainingStepInfo(epoch + 1, state.OptimizerSteps, totalSteps, double.NaN, learningRate,
                    stepsThisRun / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds)), stepLoss!);
                stepLoss = null;

                // Mid-epoch checkpoints sit on a step boundary, exactly where a cancelled run would have saved one; the
                // epoch's last step is left to the epoch checkpoint right after it.
                if (b + 1 < batches.Count && _cadence.IsDue(state.OptimizerSteps - lastCheckpointStep, sinceCheckpoint.Elapsed))
                {
                    lossLog.Read();
                    state = state with { Epoch = epoch, BatchInEpoch = b + 1, TrainingSeconds = secondsBefore + clock.Elapsed.TotalSeconds };
                    SaveCheckpoint(model, vocabulary, optimizer, state, run);
                    observer.OnCheckpoint(run.Directory);
                    (lastCheckpointStep, sinceCheckpoint) = (state.OptimizerSteps, Stopwatch.StartNew());
                }
            }

            lossLog.Read();
            var record = new EpochRecord(epoch + 1,
                state.StepLosses.Skip(stepsAtEpochStart).DefaultIfEmpty(double.NaN).Average(),
                options.LearningRate * schedule.Factor(state.OptimizerSteps),
                // Not cancellable: an interruption is honoured at the next batch, after this epoch's checkpoint.
                Evaluator.Evaluate(model, dev, options.EvalBatchSize, device, paddingId, options.Precision, CancellationToken.None),
                epochClock.Elapsed.TotalSeconds, stepsThisRun / Math.Max(1e-9, stepClock.Elapsed.TotalSeconds));
            state = CompleteEpoch(model, vocabulary, state, record, run) with { TrainingSeconds = secondsBefore + clock.Elapsed.TotalSeconds };
            bool stopEarly = options.EarlyStoppingPatience is int patience && state.EpochsWithoutImprovement >= patience && epoch + 1 < options.Epochs;
            if (options.CheckpointAtEndOnly != true || stopEarly || epoch + 1 == options.Epochs)
            {
                SaveCheckpoint(model, vocabulary, optimizer, state, run);
                observer.OnCheckpoint(run.Directory);
                (lastCheckpointStep, sinceCheckpoint) = (state.OptimizerSteps, Stopwatch.StartNew());
            }

            if (stopEarly)
            {
                observer.OnMessage($"Early stopping: {options.BestMetric} has not improved for {options.EarlyStoppingPatience} epoch(s).");
                break;
            }
        }

        return state;
    }

    /// <summary>One batch forward and backward; the gradients add up until the optimizer steps.</summary>
    /// <returns>The batch's mean loss divided by the batches per step, a scalar on the device that the caller owns.</returns>
    private Tensor ForwardBackward(BertForSequenceClassification model, PaddedBatch padded, Device device)
    {
        try
        {
            using var scope = NewDisposeScope();
            var batch = BatchTensors.From(padded, device);
            Tensor loss;
            // Autocast covers the forward pass and the loss only, as PyTorch advises: backward runs each operation in
            // the type its forward used.
            using (Autocast.Enable(options.Precision, device))
            {
                loss = nn.functional.cross_entropy(model.call(batch.InputIds, batch.TokenTypeIds, batch.AttentionMask), batch.Labels!);
            }

            using var accumulation = options.GradientAccumulation.ToScalar(); // held for the call: see HeldScalars
            var share = loss.div(accumulation);
            share.backward();
            return share.detach().DetachFromDisposeScope();
        }
        catch (System.Runtime.InteropServices.ExternalException e) when (IsOutOfMemory(e))
        {
            throw new TrainingException(
                $"A batch of {padded.BatchSize} pairs × {padded.SequenceLength} tokens does not fit in {device} memory. Lower --batch-size " +
                "(add --gradient-accumulation to keep the effective batch size) or --max-length.");
        }
    }

    /// <summary>Records the epoch, keeps the model if it is the best so far, and counts epochs without improvement.</summary>
    private TrainerState CompleteEpoch(BertForSequenceClassification model, WordPieceVocabulary vocabulary,
        TrainerState state, EpochRecord record, RunLayout run)
    {
        state.History.Add(record);
        observer.OnEpoch(record);
        double value = record.Evaluation.Metrics.Get(options.BestMetric);
        bool improved = state.BestValue is null || value > state.BestValue;
        if (improved)
        {
            Directory.CreateDirectory(run.Directory);
            HuggingFaceDirectory.WriteFiles(model, vocabulary, run.Directory);
        }

        return state with
        {
            Epoch = record.Epoch,
            BatchInEpoch = 0,
            BestValue = improved ? value : state.BestValue,
            BestEpoch = improved ? record.Epoch : state.BestEpoch,
            EpochsWithoutImprovement = improved ? 0 : state.EpochsWithoutImprovement + 1,
        };
    }

    private static bool IsOutOfMemory(Exception e) =>
        e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase);

    private static void RequireBothClasses(TokenizedDataset train)
    {
        var classes = train.Labels.Distinct().ToList();
        if (classes.Count < 2)
        {
            throw new TrainingException(
                $"{train.Source}: every training pair has label {classes.Single()}; a classifier needs examples of both classes (0 and 1).");
        }
    }

    private string Fingerprint(BertConfig config, TokenizedDataset train, TokenizedDataset dev)
    {
        var identity = JsonSerializer.Serialize(new { options = options.WithoutResultNeutralOptions(), train = train.ContentHash, dev = dev.ContentHash, config = config.ToJson().ToJsonString() });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    private static void SaveCheckpoint(BertForSequenceClassification model, WordPieceVocabulary vocabulary, AdamW optimizer, TrainerState state, RunLayout run) =>
        AtomicDirectory.Write(run.LastCheckpoint, directory =>
        {
            HuggingFaceDirectory.WriteFiles(model, vocabulary, directory);
            using (var writer = new BinaryWriter(File.Create(Path.Combine(directory, Path.GetFileName(run.CheckpointOptimizer)))))
            {
                optimizer.save_state_dict(writer);
            }

            state.Save(Path.Combine(directory, Path.GetFileName(run.CheckpointState)));
        });

    private TrainerState Restore(BertForSequenceClassification model, AdamW optimizer, RunLayout run, string fingerprint)
    {
        if (!run.HasCheckpoint)
        {
            throw new ModelFormatException($"{run.Directory}: nothing to resume (no checkpoints/last); start the run without --resume.");
        }

        var state = TrainerState.Load(run.CheckpointState);
        if (state.Fingerprint != fingerprint)
        {
            throw new ModelFormatException(
                $"{run.Directory}: the checkpoint was made with other data, model or options; resume with the original ones, or start a new run in another directory.");
        }

        var weights = StateDictFiles.ReadDirectory(run.LastCheckpoint);
        try
        {
            var report = WeightLoader.Load(model, weights, run.LastCheckpoint);
            if (report.Missing.Count > 0)
            {
                throw new ModelFormatException($"{run.LastCheckpoint}: the checkpoint lacks {string.Join(", ", report.Missing.Take(3))}.");
            }
        }
        finally
        {
            foreach (var tensor in weights.Values)
            {
                tensor.Dispose();
            }
        }

        using (var reader = new BinaryReader(File.OpenRead(run.CheckpointOptimizer)))
        {
            optimizer.load_state_dict(reader);
        }

        optimizer.to(model.parameters().First().device);

        observer.OnMessage($"Resuming at epoch {state.Epoch + 1}, step {state.OptimizerSteps}.");
        return state;
    }
}
