using TorchSharp;

namespace Paraphrase.Training.Runtime;

/// <summary>Loads LibTorch once and picks the compute device, turning load failures into advice.</summary>
public static class LibTorchRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad);

    /// <summary>Throws <see cref="LibTorchUnavailableException"/> with the likely cause when LibTorch cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new LibTorchUnavailableException(Explain(failure), failure);
        }
    }

    /// <summary>
    /// "auto" (CUDA when TorchSharp sees a GPU, else CPU), "cpu", "cuda" or "cuda:N".
    /// </summary>
    public static torch.Device ResolveDevice(string requested = "auto")
    {
        EnsureLoaded();
        string name = requested.Trim().ToLowerInvariant();
        if (name == "auto")
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }

        if (name.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
        {
            throw new LibTorchUnavailableException(
                $"Device '{requested}' was asked for, but LibTorch sees no CUDA GPU. Build with -p:LibTorchBackend=cuda (or system, " +
                "with a CUDA PyTorch on LD_LIBRARY_PATH) on a machine with a GPU, or use --device cpu.");
        }

        try
        {
            return torch.device(name);
        }
        catch (ArgumentException)
        {
            throw new LibTorchUnavailableException($"Unknown device '{requested}'; use auto, cpu, cuda or cuda:N.");
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return null;
        }
        catch (Exception e) when (e is NotSupportedException or TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return e;
        }
    }

    private static string Explain(Exception failure)
    {
        string detail = failure.InnerException?.Message ?? failure.Message;
        return "LibTorch could not be loaded. " +
            (detail.Contains("GLIBCXX", StringComparison.Ordinal)
                ? "This system's libstdc++ is older than TorchSharp needs; rebuild so the compatibility patch is applied " +
                  "(it needs patchelf and g++: sudo apt-get install -y patchelf g++). "
                : "With -p:LibTorchBackend=system, put the directory holding libtorch.so (e.g. a PyTorch install's torch/lib) " +
                  "on LD_LIBRARY_PATH; otherwise rebuild with the default cpu backend. ") +
            $"Cause: {detail}";
    }
}
