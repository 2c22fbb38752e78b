using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Vigil.Moderation.Secrets;

namespace Vigil.Server.Hosting;

/// <summary>
/// Seals the keys of ASP.NET Core's data protection (they sign the session cookies and antiforgery tokens) with the
/// operator's key (<see cref="SecretBox"/>) before they are written to the key folder next to the database.
/// </summary>
public sealed class KeyRingEncryptor(SecretBox box) : IXmlEncryptor
{
    public const string Purpose = "key-ring";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        byte[] plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(
            "vigilSealed",
            new XComment(" Sealed (AES-256-GCM) with the key of the setting SecretsKeyFile or SecretsKey. "),
            new XElement("value", Convert.ToBase64String(box.Seal(plain, Purpose))));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Opens what <see cref="KeyRingEncryptor"/> sealed (created by data protection with the service provider).</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var box = services.GetRequiredService<SecretBox>();
        string value = encryptedElement.Element("value")?.Value ?? throw new SecretKeyException("A sealed key of the key ring has no value.");
        return XElement.Parse(Encoding.UTF8.GetString(box.Open(Convert.FromBase64String(value), KeyRingEncryptor.Purpose)));
    }
}
