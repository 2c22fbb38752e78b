using System.Security.Cryptography;
using System.Text;

namespace Vigil.Moderation.Secrets;

/// <summary>A secret that cannot be read back: no key, the wrong key, or a damaged value; the message says which.</summary>
public sealed class SecretKeyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Encrypts secrets kept at rest (webhook secrets, the sign-in key ring) with a key the operator provides: a file
/// readable by its owner only (setting <c>SecretsKeyFile</c>) or an environment variable (<c>Vigil__SecretsKey</c>),
/// holding 32 random bytes as base64 (<c>openssl rand -base64 32</c>) or 64 hex digits. AES-256-GCM, with a key
/// derived per purpose (HKDF-SHA256) and the purpose as associated data, so that a value sealed for one use does not
/// open for another. Sealed text is marked with <see cref="Prefix"/>; text without it is read as it is, so that values
/// stored before a key was configured (plain webhook secrets) keep working. Without a key, <see cref="Seal(string,string)"/>
/// keeps text as it is (and the service says so in its log).
/// </summary>
public sealed class SecretBox
{
    /// <summary>What sealed text starts with.</summary>
    public const string Prefix = "vigil-sealed:v1:";

    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[]? _key;

    private SecretBox(byte[]? key) => _key = key;

    /// <summary>No key: text is kept as it is, and sealed text cannot be opened.</summary>
    public static SecretBox None { get; } = new(null);

    /// <summary>Whether a key was provided.</summary>
    public bool HasKey => _key is not null;

    /// <summary>A box with this key: 32 bytes as base64 or 64 hex digits.</summary>
    /// <exception cref="SecretKeyException">The text is not such a key.</exception>
    public static SecretBox FromKeyText(string text, string origin)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        byte[]? key = null;
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit))
        {
            key = Convert.FromHexString(text);
        }
        else
        {
            var buffer = new byte[48];
            if (Convert.TryFromBase64String(text, buffer, out int written) && written == 32)
            {
                key = buffer[..32];
            }
        }

        return key is null
            ? throw new SecretKeyException($"{origin} must hold a 32-byte key as base64 or 64 hex digits (make one with: openssl rand -base64 32).")
            : new SecretBox(key);
    }

    /// <summary>A box with the key in <paramref name="path"/>, which must be readable by its owner only.</summary>
    /// <exception cref="SecretKeyException">The file cannot be read, others may read it, or it holds no key.</exception>
    public static SecretBox FromKeyFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                if ((mode & others) != 0)
                {
                    throw new SecretKeyException(
                        $"The key file '{path}' may be read by other users (mode {Convert.ToString((int)mode, 8)}); make it its owner's only: chmod 600 '{path}'.");
                }
            }

            return FromKeyText(File.ReadAllText(path), $"The key file '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretKeyException($"The key file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The box the settings name: the key file, else the key text, else none.</summary>
    public static SecretBox Load(string? keyFile, string? keyText) =>
        !string.IsNullOrWhiteSpace(keyFile) ? FromKeyFile(keyFile)
        : !string.IsNullOrWhiteSpace(keyText) ? FromKeyText(keyText, "The setting SecretsKey")
        : None;

    /// <summary>Whether the stored text is sealed.</summary>
    public static bool IsSealed(string stored) => stored?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The text sealed for <paramref name="purpose"/> (as it is without a key).</summary>
    public string Seal(string text, string purpose)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _key is null ? text : Prefix + Convert.ToBase64String(Seal(Encoding.UTF8.GetBytes(text), purpose));
    }

    /// <summary>The text <see cref="Seal(string,string)"/> sealed for <paramref name="purpose"/>; text that is not sealed
    /// (stored before a key was configured) as it is.</summary>
    /// <exception cref="SecretKeyException">It is sealed and cannot be opened.</exception>
    public string Open(string stored, string purpose)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsSealed(stored))
        {
            return stored;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new SecretKeyException("The sealed value is damaged (not base64).", e);
        }

        return Encoding.UTF8.GetString(Open(sealedBytes, purpose));
    }

    /// <summary>Bytes sealed for <paramref name="purpose"/>: nonce, tag, ciphertext.</summary>
    /// <exception cref="SecretKeyException">There is no key.</exception>
    public byte[] Seal(ReadOnlySpan<byte> plain, string purpose)
    {
        var key = KeyFor(purpose);
        var result = new byte[NonceBytes + TagBytes + plain.Length];
        RandomNumberGenerator.Fill(result.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(result.AsSpan(0, NonceBytes), plain, result.AsSpan(NonceBytes + TagBytes), result.AsSpan(NonceBytes, TagBytes), Encoding.UTF8.GetBytes(purpose));
        return result;
    }

    /// <summary>Bytes <see cref="Seal(ReadOnlySpan{byte},string)"/> sealed for <paramref name="purpose"/>.</summary>
    /// <exception cref="SecretKeyException">No key, another key, or damaged.</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedBytes, string purpose)
    {
        var key = KeyFor(purpose);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new SecretKeyException("The sealed value is damaged (too short).");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes[(NonceBytes + TagBytes)..], sealedBytes.Slice(NonceBytes, TagBytes), plain, Encoding.UTF8.GetBytes(purpose));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SecretKeyException("The sealed value does not open with the configured key: it was sealed with another key, or damaged.", e);
        }

        return plain;
    }

    private byte[] KeyFor(string purpose) => _key is null
        ? throw new SecretKeyException("A value is sealed, but no key is configured: set SecretsKeyFile (or Vigil__SecretsKey) to the key it was sealed with.")
        : HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, info: Encoding.UTF8.GetBytes("vigil:" + purpose));
}
