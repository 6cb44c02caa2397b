namespace Paraphrase.Core.Artifacts;

/// <summary>A dataset's file, identity and size.</summary>
/// <param name="Source">The file as it was named (a relative path stays relative to where the run was started).</param>
public sealed record DatasetSummary(string Source, string ContentHash, int Pairs);
