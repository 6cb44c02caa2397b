namespace Paraphrase.Worker;

/// <summary>A job that cannot succeed as given (bad base model, data the trainer rejects): it fails, with this message, and is not retried.</summary>
public sealed class JobFailedException(string message) : Exception(message);
