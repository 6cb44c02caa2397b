namespace Paraphrase.Core.Tokenization;

/// <summary>A vocabulary or tokenization problem the user can fix; the message says what and how.</summary>
public sealed class TokenizationException(string message) : Exception(message);
