namespace Paraphrase.Inference;

/// <summary>A model or vocabulary that cannot be served; the message names the file and the fix.</summary>
public sealed class InferenceException(string message) : Exception(message);
