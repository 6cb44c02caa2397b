using Paraphrase.Core.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Paraphrase.Training.Checkpoints;

/// <summary>Reads and writes Hugging Face weight files: <c>model.safetensors</c> and PyTorch's <c>pytorch_model.bin</c>.</summary>
public static class StateDictFiles
{
    public const string SafetensorsName = "model.safetensors";
    public const string PyTorchName = "pytorch_model.bin";

    /// <summary>The weights in a checkpoint directory (safetensors preferred), as float32 CPU tensors.</summary>
    public static Dictionary<string, Tensor> ReadDirectory(string directory)
    {
        string safetensors = Path.Combine(directory, SafetensorsName);
        string pytorch = Path.Combine(directory, PyTorchName);
        if (File.Exists(safetensors))
        {
            return Read(safetensors);
        }

        if (File.Exists(pytorch))
        {
            return Read(pytorch);
        }

        throw new Modeling.ModelFormatException(
            $"{directory}: no {SafetensorsName} or {PyTorchName}; a checkpoint directory holds config.json, the weights and vocab.txt.");
    }

    public static Dictionary<string, Tensor> Read(string path)
    {
        Dictionary<string, Tensor> weights;
        try
        {
            weights = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? Safetensors.LoadStateDict(path)
                : PyTorchUnpickler.UnpickleStateDict(path).Cast<System.Collections.DictionaryEntry>()
                    .Where(e => e.Value is Tensor)
                    .ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Modeling.ModelFormatException(
                $"{path}: cannot read the weights; the file is corrupt, truncated or not a {(path.EndsWith(".bin", StringComparison.Ordinal) ? "PyTorch state dict" : "safetensors file")} ({e.GetType().Name}: {e.Message}). Download or export it again.");
        }

        foreach (var key in weights.Keys.ToList())
        {
            if (weights[key].dtype != ScalarType.Float32 && weights[key].is_floating_point())
            {
                var converted = weights[key].to_type(ScalarType.Float32);
                weights[key].Dispose();
                weights[key] = converted;
            }
        }

        return weights;
    }

    /// <summary>Writes float32 safetensors; the file is replaced atomically, never left half-written.</summary>
    public static void WriteSafetensors(string path, IReadOnlyDictionary<string, Tensor> weights)
    {
        var contiguous = weights.ToDictionary(e => e.Key, e => e.Value.detach().cpu().contiguous());
        try
        {
            AtomicFile.WriteAsync(path, stream =>
            {
                Safetensors.SaveStateDict(stream, contiguous, leaveOpen: true);
                return Task.CompletedTask;
            }).GetAwaiter().GetResult();
        }
        finally
        {
            foreach (var tensor in contiguous.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
