using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages.Account;

/// <summary>Two-factor enrolment: a QR code of the <c>otpauth://</c> URI (and the secret to type in), then a code to
/// confirm it; the recovery codes are shown once. An admin is sent here when <c>RequireAdminTwoFactor</c> is on.</summary>
[RequestSizeLimit(16 * 1024)]
public sealed class TwoFactorModel(TwoFactor twoFactor) : PageModel
{
    public bool Required { get; private set; }

    public bool Enabled { get; private set; }

    public TotpEnrolment? Enrolment { get; private set; }

    /// <summary>The QR code of the enrolment URI, as a PNG data URL.</summary>
    public string? QrCode { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string name = User.Identity!.Name!;
        if (Code is { Length: > 0 and <= 16 } && await twoFactor.ConfirmAsync(name, Code.Trim(), cancellationToken) is { } codes)
        {
            RecoveryCodes = codes;
            Enabled = true;
            return Page();
        }

        Error = "The code is not right: type the 6 digits your app shows now.";
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        string name = User.Identity!.Name!;
        Required = VigilAuth.Session(HttpContext) is { User.Role: Vigil.Storage.Users.Role.Admin };
        Enrolment = await twoFactor.BeginAsync(name, cancellationToken);
        Enabled = Enrolment is null;
        if (Enrolment is not null)
        {
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(Enrolment.Uri, QRCodeGenerator.ECCLevel.M);
            QrCode = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
        }
    }
}
