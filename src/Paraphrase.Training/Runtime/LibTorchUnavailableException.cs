namespace Paraphrase.Training.Runtime;

/// <summary>LibTorch or the requested device is not usable here; the message says why and what to do.</summary>
public sealed class LibTorchUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
