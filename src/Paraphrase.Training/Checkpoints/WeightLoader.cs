using Paraphrase.Training.Modeling;
using static TorchSharp.torch;

namespace Paraphrase.Training.Checkpoints;

/// <summary>
/// Copies Hugging Face weights into <see cref="BertForSequenceClassification"/> name for name. Accepts
/// classifier checkpoints (<c>bert.*</c>, <c>classifier.*</c>) and base-model checkpoints (no prefix), drops
/// pre-training heads (<c>cls.*</c>) and buffers, and maps TensorFlow-era LayerNorm names (gamma/beta).
/// </summary>
public static class WeightLoader
{
    private const string BasePrefix = "bert.";

    public static WeightLoadReport Load(nn.Module model, IReadOnlyDictionary<string, Tensor> source, string sourceName)
    {
        var targets = model.state_dict();
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var unexpected = new List<string>();
        var ignored = new List<string>();
        foreach (var (key, tensor) in source)
        {
            if (key.StartsWith("cls.", StringComparison.Ordinal) || key.EndsWith("position_ids", StringComparison.Ordinal)
                || key.EndsWith("token_type_ids", StringComparison.Ordinal))
            {
                ignored.Add(key);
                continue;
            }

            string name = key.Replace("LayerNorm.gamma", "LayerNorm.weight", StringComparison.Ordinal)
                .Replace("LayerNorm.beta", "LayerNorm.bias", StringComparison.Ordinal);
            if (!targets.ContainsKey(name) && targets.ContainsKey(BasePrefix + name))
            {
                name = BasePrefix + name;
            }

            if (targets.ContainsKey(name))
            {
                mapped[name] = tensor;
            }
            else
            {
                unexpected.Add(key);
            }
        }

        using (no_grad())
        {
            foreach (var (name, tensor) in mapped)
            {
                var target = targets[name];
                if (!target.shape.SequenceEqual(tensor.shape))
                {
                    throw new ModelFormatException(
                        $"{sourceName}: '{name}' has shape [{string.Join(", ", tensor.shape)}] but the configuration expects " +
                        $"[{string.Join(", ", target.shape)}]; config.json does not describe these weights.");
                }

                target.copy_(tensor);
            }
        }

        var missing = targets.Keys.Where(k => !mapped.ContainsKey(k)).ToList();
        return new WeightLoadReport(mapped.Count, missing, unexpected, ignored);
    }
}
