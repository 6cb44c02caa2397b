namespace Paraphrase.Serving;

/// <summary>A batch found no model to run on (nothing promoted yet, or the service is stopping).</summary>
internal sealed class NoModelException() : Exception("No model is loaded.");
