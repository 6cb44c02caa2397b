namespace Paraphrase.Training.Modeling;

/// <summary>A model file (config, weights, vocabulary, ONNX) that cannot be used; the message names the file, the problem and the fix.</summary>
public sealed class ModelFormatException(string message) : Exception(message);
