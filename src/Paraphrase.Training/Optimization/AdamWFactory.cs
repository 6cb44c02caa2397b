using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Paraphrase.Training.Optimization;

/// <summary>
/// AdamW (<see cref="MultiTensorAdamW"/>) over a model's parameters, optionally without weight decay on biases and
/// LayerNorm weights (Hugging Face Trainer's rule).
/// </summary>
public static class AdamWFactory
{
    public static AdamW Create(nn.Module model, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decayBiasAndNorm)
    {
        var parameters = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (decayBiasAndNorm)
        {
            return new MultiTensorAdamW([new AdamW.ParamGroup(parameters.Select(p => p.parameter), learningRate, beta1, beta2, epsilon, weightDecay)],
                learningRate, beta1, beta2, epsilon, weightDecay);
        }

        static bool Excluded(string name) => name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm.", StringComparison.Ordinal);
        var groups = new[]
        {
            new AdamW.ParamGroup(parameters.Where(p => !Excluded(p.name)).Select(p => p.parameter), learningRate, beta1, beta2, epsilon, weightDecay),
            new AdamW.ParamGroup(parameters.Where(p => Excluded(p.name)).Select(p => p.parameter), learningRate, beta1, beta2, epsilon, 0.0),
        };
        return new MultiTensorAdamW(groups, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>Sets every parameter group's learning rate (the schedule's job, done before each step).</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }
}
