using Paraphrase.Core.Artifacts;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>What <see cref="TrainingOptions"/> (plain data, in Core) mean to LibTorch.</summary>
public static class TrainingPrecision
{
    /// <summary>The autocast type the options ask for, or null for float32.</summary>
    public static ScalarType? AutocastType(this TrainingOptions options) => options.Bf16 ? ScalarType.BFloat16 : null;
}
