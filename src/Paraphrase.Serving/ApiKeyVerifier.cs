using System.Security.Cryptography;
using System.Text;

namespace Paraphrase.Serving;

/// <summary>The accepted API keys, compared in constant time so that a key cannot be guessed byte by byte.</summary>
public sealed class ApiKeyVerifier(IReadOnlyList<string> keys, ServingOptions options)
{
    private readonly byte[][] _keys = [.. keys.Select(Encoding.UTF8.GetBytes)];

    /// <summary>No key is needed (<c>--no-auth</c>).</summary>
    public bool AllowAnonymous => options.AllowAnonymous;

    public bool Accepts(string presented)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(presented);
        return _keys.Any(k => CryptographicOperations.FixedTimeEquals(k, bytes));
    }
}
