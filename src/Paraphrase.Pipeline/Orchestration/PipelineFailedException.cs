namespace Paraphrase.Pipeline.Orchestration;

/// <summary>
/// A failure that retrying cannot fix (a malformed dataset, a job the worker rejected): the run fails with this message.
/// Activities throw it so that their retry policy gives up at once.
/// </summary>
public sealed class PipelineFailedException(string message) : Exception(message);
