//! The social platforms Aether publishes to.

use crate::macros::open_string_enum;

open_string_enum! {
    /// A social platform, as named in the `platform` field of every payload.
    ///
    /// Unknown names parse to [`Platform::Other`], so a receiver keeps working when Aether
    /// adds a platform.
    pub enum Platform {
        /// Instagram.
        Instagram => "instagram",
        /// TikTok.
        Tiktok => "tiktok",
        /// Reddit.
        Reddit => "reddit",
        /// Facebook.
        Facebook => "facebook",
        /// LinkedIn.
        Linkedin => "linkedin",
        /// X, formerly Twitter.
        X => "x",
        /// YouTube.
        Youtube => "youtube",
    }
}

impl Platform {
    /// The seven platforms Aether supports today.
    pub const KNOWN: [Platform; 7] = [
        Platform::Instagram,
        Platform::Tiktok,
        Platform::Reddit,
        Platform::Facebook,
        Platform::Linkedin,
        Platform::X,
        Platform::Youtube,
    ];
}
