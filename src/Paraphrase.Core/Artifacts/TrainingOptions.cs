using System.Text.Json.Serialization;

namespace Paraphrase.Core.Artifacts;

/// <summary>
/// How to fine-tune. The defaults are the Hugging Face course's loop: 3 epochs, batch 8, shuffled, AdamW 5e-5
/// (betas 0.9/0.999, eps 1e-8, weight decay 0.01 on every parameter, as torch's AdamW), linear decay
/// without warm-up, no clipping. The rest are the Hugging Face Trainer's additions, off by default.
/// Pure data (it is written into metrics.json); the TorchSharp side reads it through Paraphrase.Training's extensions.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Pairs per forward pass.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Pairs per forward pass during evaluation (no effect on results).</summary>
    public int EvalBatchSize { get; init; } = 32;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 5e-5;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.999;

    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Exempt biases and LayerNorm weights from weight decay (Hugging Face Trainer's habit).</summary>
    public bool NoDecayOnBiasAndNorm { get; init; }

    /// <summary>Warm-up optimizer steps; overrides <see cref="WarmupRatio"/> when positive.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Warm-up as a fraction of all optimizer steps.</summary>
    public double WarmupRatio { get; init; }

    /// <summary>Clip the global gradient norm to this value; null: no clipping.</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>Batches whose gradients are summed before each optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>bf16 mixed precision: matrix products in bfloat16, weights and optimizer in float32 (Paraphrase.Training's Autocast).</summary>
    public bool Bf16 { get; init; }

    /// <summary>Batch pairs of similar length (less padding, faster); changes the data order.</summary>
    public bool GroupByLength { get; init; }

    /// <summary>Seeds data order, dropout and the new classifier head.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Longest encoding; longer pairs are truncated (longest_first). Null: the model's max_position_embeddings.</summary>
    public int? MaxLength { get; init; }

    /// <summary>The evaluation metric that picks the best epoch: accuracy, f1, precision or recall.</summary>
    public string BestMetric { get; init; } = "accuracy";

    /// <summary>Stop after this many epochs without improvement of <see cref="BestMetric"/>; null: never.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Use only the first N training pairs (a quick run); null: all.</summary>
    public int? MaxTrainPairs { get; init; }

    /// <summary>
    /// Optimizer steps between reads of the training loss from the device; null: every step. Each read waits for the
    /// device, so GPU runs read rarely; progress is reported at each read. Results do not depend on it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? LogEvery { get; init; }

    /// <summary>
    /// Save the resumable checkpoint only when training ends (or is interrupted), not after every epoch; the best
    /// model is still written as it improves. Null or false: after every epoch. Results do not depend on it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CheckpointAtEndOnly { get; init; }

    /// <summary>The options with the ones that cannot change a result reset, for telling whether a checkpoint fits a run.</summary>
    public TrainingOptions WithoutResultNeutralOptions() =>
        this with { Device = "", EarlyStoppingPatience = null, LogEvery = null, CheckpointAtEndOnly = null };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }

        Require(Epochs >= 1, $"--epochs must be at least 1, got {Epochs}");
        Require(BatchSize >= 1 && EvalBatchSize >= 1, "--batch-size must be at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), $"--learning-rate must be a positive number, got {LearningRate}");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, "betas must lie in [0, 1)");
        Require(Epsilon > 0 && double.IsFinite(Epsilon) && WeightDecay >= 0 && double.IsFinite(WeightDecay), "epsilon must be positive and weight decay non-negative");
        Require(WarmupSteps >= 0 && WarmupRatio is >= 0 and < 1, "--warmup-steps must be >= 0 and --warmup-ratio in [0, 1)");
        Require(MaxGradNorm is null || (MaxGradNorm > 0 && double.IsFinite(MaxGradNorm.Value)), "--max-grad-norm must be a positive number");
        Require(GradientAccumulation >= 1, "--gradient-accumulation must be at least 1");
        Require(MaxLength is null or >= 3, "--max-length must be at least 3");
        Require(BestMetric is "accuracy" or "f1" or "precision" or "recall", $"--best-metric '{BestMetric}' is not accuracy, f1, precision or recall");
        Require(EarlyStoppingPatience is null or >= 1, "--early-stopping must be at least 1");
        Require(MaxTrainPairs is null or >= 1, "--max-train-pairs must be at least 1");
        Require(LogEvery is null or >= 1, "--log-every must be at least 1");
    }

    /// <summary>Optimizer steps for <paramref name="batchesPerEpoch"/> batches an epoch.</summary>
    public int TotalOptimizerSteps(int batchesPerEpoch) => Epochs * StepsPerEpoch(batchesPerEpoch);

    public int StepsPerEpoch(int batchesPerEpoch) => (batchesPerEpoch + GradientAccumulation - 1) / GradientAccumulation;

    public int ResolveWarmupSteps(int totalSteps) => WarmupSteps > 0 ? WarmupSteps : (int)Math.Ceiling(WarmupRatio * totalSteps);
}
