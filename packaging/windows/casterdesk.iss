; Inno Setup script: the Windows installer of Caster Desk, built by the release workflow.
;   iscc /DAppVersion=1.2.3 packaging\windows\casterdesk.iss
; (BundleDir, OutputDir and OutputBase may be passed too; relative paths are relative to this
; file's folder, so the defaults are the repository's dist\casterdesk and dist.)
; It installs the one-folder build (dist\casterdesk) for the current user or for everyone,
; with a Start-menu shortcut to "Caster Desk.exe" and an uninstaller.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\casterdesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef OutputBase
  #define OutputBase "casterdesk-" + AppVersion + "-windows-x86_64-setup"
#endif

[Setup]
; A fixed AppId lets a newer installer upgrade an older installation in place.
AppId={{4C7D5E0A-3B8F-4F0E-9A51-6E2D1C9B7A10}
AppName=Caster Desk
AppVersion={#AppVersion}
AppVerName=Caster Desk {#AppVersion}
AppPublisher=Caster Desk contributors
DefaultDirName={autopf}\Caster Desk
DefaultGroupName=Caster Desk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBase}
SetupIconFile=..\..\resources\icons\casterdesk.ico
UninstallDisplayIcon={app}\Caster Desk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Caster Desk"; Filename: "{app}\Caster Desk.exe"
Name: "{autodesktop}\Caster Desk"; Filename: "{app}\Caster Desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Caster Desk.exe"; Description: "{cm:LaunchProgram,Caster Desk}"; Flags: nowait postinstall skipifsilent
