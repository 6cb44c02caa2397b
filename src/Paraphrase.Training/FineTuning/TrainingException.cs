namespace Paraphrase.Training.FineTuning;

/// <summary>Training cannot go on as asked (data, memory, options); the message says what to change.</summary>
public sealed class TrainingException(string message) : Exception(message);
