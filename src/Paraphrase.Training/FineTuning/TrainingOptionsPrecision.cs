using Paraphrase.Core.Artifacts;
using static TorchSharp.torch;

namespace Paraphrase.Training.FineTuning;

/// <summary>The TorchSharp reading of <see cref="TrainingOptions"/>, kept here so that the options stay pure data in Core.</summary>
public static class TrainingOptionsPrecision
{
    extension(TrainingOptions options)
    {
        /// <summary>The autocast type the options ask for, or null for float32.</summary>
        public ScalarType? Precision => options.Bf16 ? ScalarType.BFloat16 : null;
    }
}
