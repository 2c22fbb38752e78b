namespace Vigil.Server.Tests;

/// <summary>Short neutral fixtures: never extremist text.</summary>
internal static class Fixtures
{
    /// <summary>Reaches review with the shipped data (an official media outlet's name).</summary>
    public const string ReviewText = "new release from amaq just dropped, share it";

    /// <summary>Clear.</summary>
    public const string ClearText = "Lovely weather in Leeds";

    /// <summary>A 48x32 gradient PNG.</summary>
    public static byte[] Png { get; } = Convert.FromBase64String(PngBase64);

    private const string PngBase64 =
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAgCAIAAADbtmxLAAALp0lEQVR42hXWIcvqAACF4RVBLBoMs8jAsiIMiwuGWWRgWRHE4oJhFhlYVoRhcc" +
        "EwiwwsbxHEosEwiwiWFUEsGgyzyMCyaLzfPb/gCYfDEQSBjEBOIC9QFCgJlAUqArJAVaAmUBdoCDQFWgJtAUOgI9AT6AsMBIYCI4GxgCMwEZgK" +
        "zATmAguBpcBKAIG1wFZgJ3AQOAqcBC4CkcBV4C7wEHgJvAU+Al8BQciSyZLLks9SzFLKUs5SySJnqWapZalnaWRpZmllaWcxsnSy9LL0swyyDL" +
        "OMsoyzOFkmWaZZZlnmWRZZlllWWciyzrLNsstyyHLMcspyyRJluWa5Z3lkeWV5Z/lk+Wb/QAUyBXIF8gWKBUoFygUqBeQC1QK1AvUCjQLNAq0C" +
        "7QJGgU6BXoF+gUGBYYFRgXEBp8CkwLTArMC8wKLAssCqAAXWBbYFdgUOBY4FTgUuBaIC1wL3Ao8CrwLvAp8C38IfSCQjkhPJixRFSiJlkYqILF" +
        "IVqYnURRoiTZGWSFvEEOmI9ET6IgORochIZCziiExEpiIzkbnIQmQpshJBZC2yFdmJHESOIieRi0gkchW5izxEXiJvkY/IV/wDSWQkchJ5iaJE" +
        "SaIsUZGQJaoSNYm6REOiKdGSaEsYEh2JnkRfYiAxlBhJjCUciYnEVGImMZdYSCwlVhJIrCW2EjuJg8RR4iRxkYgkrhJ3iYfES+It8ZH4Sn8gmY" +
        "xMTiYvU5QpyZRlKjKyTFWmJlOXacg0ZVoybRlDpiPTk+nLDGSGMiOZsYwjM5GZysxk5jILmaXMSgaZtcxWZidzkDnKnGQuMpHMVeYu85B5ybxl" +
        "PjJf+Q+kkFHIKeQVigolhbJCRUFWqCrUFOoKDYWmQkuhrWAodBR6Cn2FgcJQYaQwVnAUJgpThZnCXGGhsFRYKaCwVtgq7BQOCkeFk8JFIVK4Kt" +
        "wVHgovhbfCR+Gr/IFUMio5lbxKUaWkUlapqMgqVZWaSl2lodJUaam0VQyVjkpPpa8yUBmqjFTGKo7KRGWqMlOZqyxUliorFVTWKluVncpB5ahy" +
        "UrmoRCpXlbvKQ+Wl8lb5qHzVP5BGRiOnkdcoapQ0yhoVDVmjqlHTqGs0NJoaLY22hqHR0ehp9DUGGkONkcZYw9GYaEw1ZhpzjYXGUmOlgcZaY6" +
        "ux0zhoHDVOGheNSOOqcdd4aLw03hofja/2B9LJ6OR08jpFnZJOWaeiI+tUdWo6dZ2GTlOnpdPWMXQ6Oj2dvs5AZ6gz0hnrODoTnanOTGeus9BZ" +
        "6qx00FnrbHV2Ogedo85J56IT6Vx17joPnZfOW+ej89X/QAYZg5xB3qBoUDIoG1QMZIOqQc2gbtAwaBq0DNoGhkHHoGfQNxgYDA1GBmMDx2BiMD" +
        "WYGcwNFgZLg5UBBmuDrcHO4GBwNDgZXAwig6vB3eBh8DJ4G3wMvsYfqEumS65LvkuxS6lLuUuli9yl2qXWpd6l0aXZpdWl3cXo0unS69LvMugy" +
        "7DLqMu7idJl0mXaZdZl3WXRZdll1ocu6y7bLrsuhy7HLqculS9Tl2uXe5dHl1eXd5dPl2/0DmWRMciZ5k6JJyaRsUjGRTaomNZO6ScOkadIyaZ" +
        "sYJh2TnknfZGAyNBmZjE0ck4nJ1GRmMjdZmCxNViaYrE22JjuTg8nR5GRyMYlMriZ3k4fJy+Rt8jH5mn8gi4xFziJvUbQoWZQtKhayRdWiZlG3" +
        "aFg0LVoWbQvDomPRs+hbDCyGFiOLsYVjMbGYWsws5hYLi6XFygKLtcXWYmdxsDhanCwuFpHF1eJu8bB4WbwtPhZf6w9kk7HJ2eRtijYlm7JNxU" +
        "a2qdrUbOo2DZumTcumbWPYdGx6Nn2bgc3QZmQztnFsJjZTm5nN3GZhs7RZ2WCzttna7GwONkebk83FJrK52txtHjYvm7fNx+Zr/4EcMg45h7xD" +
        "0aHkUHaoOMgOVYeaQ92h4dB0aDm0HQyHjkPPoe8wcBg6jBzGDo7DxGHqMHOYOywclg4rBxzWDluHncPB4ehwcrg4RA5Xh7vDw+Hl8Hb4OHydP5" +
        "BLxiXnkncpupRcyi4VF9ml6lJzqbs0XJouLZe2i+HScem59F0GLkOXkcvYxXGZuExdZi5zl4XL0mXlgsvaZeuyczm4HF1OLheXyOXqcnd5uLxc" +
        "3i4fl6/7B/LIeOQ88h5Fj5JH2aPiIXtUPWoedY+GR9Oj5dH2MDw6Hj2PvsfAY+gx8hh7OB4Tj6nHzGPusfBYeqw88Fh7bD12HgePo8fJ4+IReV" +
        "w97h4Pj5fH2+Pj8fX+QD4Zn5xP3qfoU/Ip+1R8ZJ+qT82n7tPwafq0fNo+hk/Hp+fT9xn4DH1GPmMfx2fiM/WZ+cx9Fj5Ln5UPPmufrc/O5+Bz" +
        "9Dn5XHwin6vP3efh8/J5+3x8vv4fKCATkAvIBxQDSgHlgEqAHFANqAXUAxoBzYBWQDvACOgE9AL6AYOAYcAoYBzgBEwCpgGzgHnAImAZsAogYB" +
        "2wDdgFHAKOAaeAS0AUcA24BzwCXgHvgE/AN/gDQQZykIcilKAMlf+vgSrUoA4NaEIL2v+Hlw70oA8DGMIIxv+7ywSmMIM5LGAJK/5nDVvYwQGO" +
        "cIILRHCFOzzgBW/4wPfvggsbMhtyG/IbihtKG8obKhvkDdUNtQ31DY0NzQ2tDe0NxobOht6G/obBhuGG0YbxBmfDZMN0w2zDfMNiw3LDagMb1h" +
        "u2G3YbDhuOG04bLhuiDdcN9w2PDa8N7w2fDd/NH2hPZk9uT35PcU9pT3lPZY+8p7qntqe+p7Gnuae1p73H2NPZ09vT3zPYM9wz2jPe4+yZ7Jnu" +
        "me2Z71nsWe5Z7WHPes92z27PYc9xz2nPZU+057rnvuex57Xnveez57v/A4VkQnIh+ZBiSCmkHFIJkUOqIbWQekgjpBnSCmmHGCGdkF5IP2QQMg" +
        "wZhYxDnJBJyDRkFjIPWYQsQ1YhhKxDtiG7kEPIMeQUcgmJQq4h95BHyCvkHfIJ+YZ/oDOZM7kz+TPFM6Uz5TOVM/KZ6pnamfqZxpnmmdaZ9hnj" +
        "TOdM70z/zODM8MzozPiMc2ZyZnpmdmZ+ZnFmeWZ1hjPrM9szuzOHM8czpzOXM9GZ65n7mceZ15n3mc+Z7/kPFJGJyEXkI4oRpYhyRCVCjqhG1C" +
        "LqEY2IZkQroh1hRHQiehH9iEHEMGIUMY5wIiYR04hZxDxiEbGMWEX/27uO2EbsIg4Rx4hTxCUiirhG3CMeEa+Id8Qn4hv9gW5kbuRu5G8Ub5Ru" +
        "lG9Ubsg3qjdqN+o3GjeaN1o32jeMG50bvRv9G4MbwxujG+Mbzo3JjemN2Y35jcWN5Y3VDW6sb2xv7G4cbhxvnG5cbkQ3rjfuNx43XjfeNz43vr" +
        "c/0JPMk9yT/JPik9KT8pPKE/lJ9UntSf1J40nzSetJ+4nxpPOk96T/ZPBk+GT0ZPzEeTJ5Mn0yezJ/sniyfLJ6wpP1k+2T3ZPDk+OT05PLk+jJ" +
        "9cn9yePJ68n7yefJ9/kHisnE5GLyMcWYUkw5phIjx1RjajH1mEZMM6YV044xYjoxvZh+zCBmGDOKGcc4MZOYacwsZh6ziFnGrGKIWcdsY3Yxh5" +
        "hjzCnmEhPFXGPuMY+YV8w75hPzjf9ACZmEXEI+oZhQSignVBLkhGpCLaGe0EhoJrQS2glGQiehl9BPGCQME0YJ4wQnYZIwTZglzBMWCcuEVQIJ" +
        "64Rtwi7hkHBMOCVcEqKEa8I94ZHwSngnfBK+yR8oJZOSS8mnFFNKKeWUSoqcUk2ppdRTGinNlFZKO8VI6aT0Uvopg5RhyihlnOKkTFKmKbOUec" +
        "oiZZmySiFlnbJN2aUcUo4pp5RLSpRyTbmnPFJeKe+UT8o3/QP9yPzI/cj/KP4o/Sj/qPyQf1R/1H7UfzR+NH+0frR/GD86P3o/+j8GP4Y/Rj/G" +
        "P5wfkx/TH7Mf8x+LH8sfqx/8WP/Y/tj9OPw4/jj9uPyIflx/3H88frx+vH98fnx//APiN2mIMNIRPAAAAABJRU5ErkJggg==";
}
