<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountNames</name>
    <message>
        <source>no account</source>
        <translation>无账号</translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation>沙箱</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>aliyun CLI: {0}</source>
        <translation>aliyun CLI：{0}</translation>
    </message>
    <message>
        <source>credentials.ini: {0}</source>
        <translation>credentials.ini：{0}</translation>
    </message>
</context>
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Keep new secrets for this session only (in memory, forgotten on quit)</source>
        <translation>新密钥仅用于本次会话（保存在内存中，退出后清除）</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>New profile</source>
        <translation>新建配置</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>AccessKey secret</source>
        <translation>AccessKey Secret</translation>
    </message>
    <message>
        <source>Replace secret…</source>
        <translation>更换密钥…</translation>
    </message>
    <message>
        <source>V3 (ACS3-HMAC-SHA256, recommended)</source>
        <translation>V3（ACS3-HMAC-SHA256，推荐）</translation>
    </message>
    <message>
        <source>V1 (HMAC-SHA1)</source>
        <translation>V1（HMAC-SHA1）</translation>
    </message>
    <message>
        <source>Use this profile by default</source>
        <translation>默认使用此配置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>AccessKey ID</source>
        <translation>AccessKey ID</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>接入地址</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名版本</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <source>Import from the environment or the aliyun CLI configuration</source>
        <translation>从环境变量或 aliyun CLI 配置导入</translation>
    </message>
    <message>
        <source>RequestId: {0}</source>
        <translation>RequestId：{0}</translation>
    </message>
    <message>
        <source>Checking the system keychain…</source>
        <translation>正在检查系统钥匙串…</translation>
    </message>
    <message>
        <source>Secrets are kept in the system keychain ({0}).</source>
        <translation>密钥保存在系统钥匙串中（{0}）。</translation>
    </message>
    <message>
        <source>Secrets are kept in the system keychain.</source>
        <translation>密钥保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>secret in keychain</source>
        <translation>密钥在钥匙串中</translation>
    </message>
    <message>
        <source>secret for this session only</source>
        <translation>密钥仅用于本次会话</translation>
    </message>
    <message>
        <source>secret missing</source>
        <translation>缺少密钥</translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <source>Paste the new AccessKey secret</source>
        <translation>粘贴新的 AccessKey Secret</translation>
    </message>
    <message>
        <source>Paste the AccessKey secret (shown only once)</source>
        <translation>粘贴 AccessKey Secret（仅显示这一次）</translation>
    </message>
    <message>
        <source>Stored in the system keychain (never shown)</source>
        <translation>已保存在系统钥匙串中（不会再显示）</translation>
    </message>
    <message>
        <source>Kept for this session only (never shown)</source>
        <translation>仅用于本次会话（不会再显示）</translation>
    </message>
    <message>
        <source>Not stored: use Replace secret…</source>
        <translation>未保存：请使用“更换密钥…”</translation>
    </message>
    <message>
        <source>Unknown: the keychain cannot be read now</source>
        <translation>未知：暂时无法读取钥匙串</translation>
    </message>
    <message>
        <source>Enter the AccessKey secret.</source>
        <translation>请输入 AccessKey Secret。</translation>
    </message>
    <message>
        <source>for this session only</source>
        <translation>仅用于本次会话</translation>
    </message>
    <message>
        <source>in the system keychain</source>
        <translation>保存在系统钥匙串中</translation>
    </message>
    <message>
        <source>Saved. The secret is kept {0}.</source>
        <translation>已保存。密钥{0}。</translation>
    </message>
    <message>
        <source>Delete the profile “{0}”? Its secret is removed from the keychain too.</source>
        <translation>删除配置“{0}”？其密钥也会从钥匙串中删除。</translation>
    </message>
    <message>
        <source>Delete profile</source>
        <translation>删除配置</translation>
    </message>
    <message>
        <source>{0}
Delete the profile anyway? Its keychain entry would stay behind until the keychain is available.</source>
        <translation>{0}
仍要删除该配置吗？其钥匙串条目会保留，直到钥匙串可用。</translation>
    </message>
    <message>
        <source>Profile deleted.</source>
        <translation>配置已删除。</translation>
    </message>
    <message>
        <source>Enter the AccessKey secret to test.</source>
        <translation>请输入 AccessKey Secret 后再测试。</translation>
    </message>
    <message>
        <source>Connected. {0} production studio(s) in {1}. RequestId: {2}</source>
        <translation>连接成功。{1} 地域有 {0} 个导播台。RequestId：{2}</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>正在测试连接…</translation>
    </message>
    <message>
        <source>Nothing found in the environment or the aliyun CLI config.</source>
        <translation>在环境变量和 aliyun CLI 配置中均未找到账号。</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>aliyun CLI</source>
        <translation>aliyun CLI</translation>
    </message>
    <message>
        <source>credentials.ini</source>
        <translation>credentials.ini</translation>
    </message>
</context>
<context>
    <name>AlarmNotifier</name>
    <message>
        <source>Program (PGM): {0}</source>
        <translation>节目（PGM）：{0}</translation>
    </message>
</context>
<context>
    <name>AudioMeter</name>
    <message>
        <source>{} audio level</source>
        <translation>{} 音频电平</translation>
    </message>
    <message>
        <source>{}: no audio measured</source>
        <translation>{}：未测到音频</translation>
    </message>
    <message>
        <source>L</source>
        <translation>左</translation>
    </message>
    <message>
        <source>R</source>
        <translation>右</translation>
    </message>
    <message>
        <source>{name}: peak {peak} dBFS, RMS {rms} dBFS, hold {hold} dBFS</source>
        <translation>{name}：峰值 {peak} dBFS，RMS {rms} dBFS，保持 {hold} dBFS</translation>
    </message>
</context>
<context>
    <name>CasterController</name>
    <message>
        <source>Still connecting to the account. Try again in a moment.</source>
        <translation>仍在连接账号，请稍后再试。</translation>
    </message>
    <message>
        <source>No account is connected. Choose an account or try the sandbox.</source>
        <translation>尚未连接账号。请选择账号，或试用沙箱。</translation>
    </message>
    <message>
        <source>“{0}” was stopped elsewhere (the console or another tool).</source>
        <translation>“{0}”已在别处停止（控制台或其他工具）。</translation>
    </message>
    <message>
        <source>Could not load the casters</source>
        <translation>无法加载导播台列表</translation>
    </message>
    <message>
        <source>The server claims {0} casters; the list stops at the first {1}.</source>
        <translation>服务器声称有 {0} 个导播台；列表只显示前 {1} 个。</translation>
    </message>
    <message>
        <source>The server claims {0} casters, but its pages ended after {1}; these are all it returned.</source>
        <translation>服务器声称有 {0} 个导播台，但分页在 {1} 个后结束；以上是它返回的全部。</translation>
    </message>
    <message>
        <source>Could not get the stream URLs</source>
        <translation>无法获取播放地址</translation>
    </message>
    <message>
        <source>Could not refresh the stream URLs</source>
        <translation>无法刷新播放地址</translation>
    </message>
    <message>
        <source>Select a caster to start.</source>
        <translation>请先选择要启动的导播台。</translation>
    </message>
    <message>
        <source>Click a row in the list (Ctrl+F filters it).</source>
        <translation>在列表中点击一行（按 Ctrl+F 可筛选）。</translation>
    </message>
    <message>
        <source>“{0}” is already streaming: showing its URLs.</source>
        <translation>“{0}”已在直播中：正在显示其地址。</translation>
    </message>
    <message>
        <source>Could not start “{0}”</source>
        <translation>无法启动“{0}”</translation>
    </message>
    <message>
        <source>Started “{0}”.</source>
        <translation>已启动“{0}”。</translation>
    </message>
    <message>
        <source>Could not stop “{0}”</source>
        <translation>无法停止“{0}”</translation>
    </message>
    <message>
        <source>Could not stop every streaming caster before quitting</source>
        <translation>退出前未能停止所有导播中的导播台</translation>
    </message>
    <message>
        <source>Stopped “{0}”.</source>
        <translation>已停止“{0}”。</translation>
    </message>
</context>
<context>
    <name>CasterListView</name>
    <message>
        <source>Filter by name or ID (Ctrl+F)</source>
        <translation>按名称或 ID 筛选（Ctrl+F）</translation>
    </message>
    <message>
        <source>Filter casters</source>
        <translation>筛选导播台</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>状态筛选</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>直播中</translation>
    </message>
    <message>
        <source>No caster matches the filter.</source>
        <translation>没有符合筛选条件的导播台。</translation>
    </message>
    <message>
        <source>Loading casters…</source>
        <translation>正在加载导播台…</translation>
    </message>
    <message>
        <source>Could not load the casters.</source>
        <translation>无法加载导播台列表。</translation>
    </message>
    <message>
        <source>No production studios in this region.
Create one in the ApsaraVideo Live console, or choose another region.</source>
        <translation>该地域没有导播台。
请在视频直播控制台中创建，或选择其他地域。</translation>
    </message>
    <message>
        <source>Choose an account, or try the sandbox.</source>
        <translation>请选择账号，或试用沙箱。</translation>
    </message>
</context>
<context>
    <name>CasterTableModel</name>
    <message>
        <source>Playlist</source>
        <translation>轮播台</translation>
    </message>
    <message>
        <source>General</source>
        <translation>通用</translation>
    </message>
    <message>
        <source>Carousel</source>
        <translation>轻量轮播</translation>
    </message>
    <message>
        <source>Virtual studio</source>
        <translation>虚拟演播</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>到期时间</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>直播中</translation>
    </message>
    <message>
        <source>Starting… {0} s</source>
        <translation>启动中… {0} 秒</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已到期</translation>
    </message>
    <message>
        <source>{0} · expires in {1} d</source>
        <translation>{0} · {1} 天后到期</translation>
    </message>
</context>
<context>
    <name>ClickToCopyLabel</name>
    <message>
        <source>Copy RequestId</source>
        <translation>复制 RequestId</translation>
    </message>
</context>
<context>
    <name>CommandActions</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Reload the caster list</source>
        <translation>重新加载导播台列表</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>启动(&amp;S)</translation>
    </message>
    <message>
        <source>Start the selected caster</source>
        <translation>启动所选导播台</translation>
    </message>
    <message>
        <source>S&amp;top…</source>
        <translation>停止(&amp;T)…</translation>
    </message>
    <message>
        <source>Stop the selected caster</source>
        <translation>停止所选导播台</translation>
    </message>
    <message>
        <source>&amp;Find caster</source>
        <translation>查找导播台(&amp;F)</translation>
    </message>
    <message>
        <source>Filter the list by name or ID</source>
        <translation>按名称或 ID 筛选列表</translation>
    </message>
    <message>
        <source>Copy all PGM &amp;URLs</source>
        <translation>复制全部 PGM 地址(&amp;U)</translation>
    </message>
    <message>
        <source>Copy every program (PGM) playback URL</source>
        <translation>复制节目（PGM）的全部播放地址</translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation>账号(&amp;A)…</translation>
    </message>
    <message>
        <source>Add, edit or import accounts</source>
        <translation>添加、编辑或导入账号</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit Caster Desk</source>
        <translation>退出 Caster Desk</translation>
    </message>
    <message>
        <source>&amp;Take</source>
        <translation>切换(&amp;T)</translation>
    </message>
    <message>
        <source>Put the preview (PVW) on air: PVW&apos;s layout goes to PGM. Space takes too, except in the caster list and text fields</source>
        <translation>将预监（PVW）播出：PVW 的布局切换到 PGM。空格键也可切换（导播台列表和文本框中除外）</translation>
    </message>
    <message>
        <source>Stand&amp;by…</source>
        <translation>备播(&amp;B)…</translation>
    </message>
    <message>
        <source>Cut PGM to the standby video (asks first). The API cannot report standby, so Caster Desk remembers it itself; the next Take leaves it.</source>
        <translation>将 PGM 切换到备播视频（会先确认）。API 无法查询备播状态，因此由 Caster Desk 自行记录；下一次切换即退出备播。</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Show the event log files</source>
        <translation>显示事件日志文件</translation>
    </message>
    <message>
        <source>&amp;About Caster Desk</source>
        <translation>关于 Caster Desk(&amp;A)</translation>
    </message>
    <message>
        <source>Version and credits</source>
        <translation>版本与致谢</translation>
    </message>
    <message>
        <source>Chec&amp;k outputs</source>
        <translation>检查输出(&amp;K)</translation>
    </message>
    <message>
        <source>Probe every URL of the shown caster: does it play, at what size, with sound</source>
        <translation>逐个检查当前导播台的每个播放地址：能否播放、分辨率、是否有声音</translation>
    </message>
    <message>
        <source>Re&amp;fresh URLs</source>
        <translation>刷新播放地址(&amp;F)</translation>
    </message>
    <message>
        <source>Fetch freshly signed URLs (the old ones expire)</source>
        <translation>获取重新签名的播放地址（旧地址会过期）</translation>
    </message>
    <message>
        <source>&amp;Hand off…</source>
        <translation>交付地址(&amp;H)…</translation>
    </message>
    <message>
        <source>Chat text, JSON, CSV and QR codes of every URL, to copy or save</source>
        <translation>每个播放地址的聊天文本、JSON、CSV 和二维码，可复制或保存</translation>
    </message>
    <message>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <source>Follow the &amp;system</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Caster</source>
        <translation>导播台(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Event length</source>
        <translation>活动时长(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Undo ({0} s)</source>
        <translation>撤销(&amp;U)（{0} 秒）</translation>
    </message>
    <message>
        <source>Take “{0}” back to PGM</source>
        <translation>将“{0}”切回 PGM</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Take the previous layout back to PGM</source>
        <translation>将上一个布局切回 PGM</translation>
    </message>
    <message>
        <source>Starting “{0}”…</source>
        <translation>正在启动“{0}”…</translation>
    </message>
</context>
<context>
    <name>DirectingController</name>
    <message>
        <source>Could not read the layouts of “{0}”</source>
        <translation>无法读取“{0}”的布局</translation>
    </message>
    <message>
        <source>Could not read the scenes of “{0}”</source>
        <translation>无法读取“{0}”的场景</translation>
    </message>
    <message>
        <source>Could not put “{0}” on PVW</source>
        <translation>无法将“{0}”放到 PVW</translation>
    </message>
    <message>
        <source>Could not take “{0}” to PGM</source>
        <translation>无法将“{0}”切换到 PGM</translation>
    </message>
    <message>
        <source>Could not take PVW to PGM</source>
        <translation>无法将 PVW 切换到 PGM</translation>
    </message>
    <message>
        <source>Could not undo: “{0}” is not back on PGM</source>
        <translation>无法撤销：“{0}”未切回 PGM</translation>
    </message>
    <message>
        <source>Could not cut PGM of “{0}” to standby</source>
        <translation>无法将“{0}”的 PGM 切换到备播</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>Copy RequestId</source>
        <translation>复制 RequestId</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>RequestId: {0}</source>
        <translation>RequestId：{0}</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something unexpected went wrong.</source>
        <translation>发生了意外错误。</translation>
    </message>
    <message>
        <source>Try again. If it keeps happening, send the log file to support.</source>
        <translation>请重试；如果反复出现，请将日志文件发送给技术支持。</translation>
    </message>
</context>
<context>
    <name>HandoffDialog</name>
    <message>
        <source>Hand off “{0}”</source>
        <translation>交付“{0}”的播放地址</translation>
    </message>
    <message>
        <source>Mask tokens (hide auth_key, for screenshots)</source>
        <translation>隐藏鉴权串（隐藏 auth_key，用于截图）</translation>
    </message>
    <message>
        <source>Chat language:</source>
        <translation>聊天文本语言：</translation>
    </message>
    <message>
        <source>Chat text</source>
        <translation>聊天文本</translation>
    </message>
    <message>
        <source>Save sheet as PNG…</source>
        <translation>将清单保存为 PNG…</translation>
    </message>
    <message>
        <source>Save sheet as PDF…</source>
        <translation>将清单保存为 PDF…</translation>
    </message>
    <message>
        <source>QR codes</source>
        <translation>二维码</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>{0} monitor</source>
        <translation>{0} 监看</translation>
    </message>
    <message>
        <source>valid until {0}</source>
        <translation>有效至 {0}</translation>
    </message>
    <message>
        <source>Copied the {0}</source>
        <translation>已复制{0}</translation>
    </message>
    <message>
        <source>(tokens masked: these URLs do not play)</source>
        <translation>（鉴权串已隐藏：这些地址无法播放）</translation>
    </message>
    <message>
        <source>chat text</source>
        <translation>聊天文本</translation>
    </message>
    <message>
        <source>Save the chat text</source>
        <translation>保存聊天文本</translation>
    </message>
    <message>
        <source>Save the {0}</source>
        <translation>保存 {0}</translation>
    </message>
    <message>
        <source>Save the sheet</source>
        <translation>保存清单</translation>
    </message>
    <message>
        <source>Play URLs · {0}</source>
        <translation>播放地址 · {0}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Could not save: {0}. Choose another folder.</source>
        <translation>无法保存：{0}。请选择其他文件夹。</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <source>Something unexpected went wrong, and Caster Desk kept running.</source>
        <translation>发生了意外错误，Caster Desk 仍在继续运行。</translation>
    </message>
    <message>
        <source>Details are in {0}.</source>
        <translation>详细信息见 {0}。</translation>
    </message>
    <message>
        <source>If it happens again, restart Caster Desk.</source>
        <translation>如果再次出现，请重新启动 Caster Desk。</translation>
    </message>
</context>
<context>
    <name>LayoutPicker</name>
    <message>
        <source>Layouts (click one to put it on PVW)</source>
        <translation>布局（点击放到 PVW）</translation>
    </message>
    <message>
        <source>Click a layout to put it on the preview (PVW)</source>
        <translation>点击布局，将其放到预监（PVW）</translation>
    </message>
    <message>
        <source>PVW layouts</source>
        <translation>PVW 布局</translation>
    </message>
    <message>
        <source>Reading the caster&apos;s layouts…</source>
        <translation>正在读取导播台的布局…</translation>
    </message>
    <message>
        <source>Start or select a live caster to direct it.</source>
        <translation>启动或选择一个直播中的导播台即可导播。</translation>
    </message>
    <message>
        <source>Put “{0}” on PVW</source>
        <translation>将“{0}”放到 PVW</translation>
    </message>
</context>
<context>
    <name>LayoutTile</name>
    <message>
        <source>ON AIR</source>
        <translation>播出</translation>
    </message>
    <message>
        <source>PREVIEW</source>
        <translation>预监</translation>
    </message>
</context>
<context>
    <name>MainToolbar</name>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Account (profile) to use; the sandbox is a local demo</source>
        <translation>要使用的账号（配置）；沙箱是本地演示环境</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地域</translation>
    </message>
    <message>
        <source>custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>Region: pick one, or type a custom region ID and press Enter</source>
        <translation>地域：从列表中选择，或输入自定义地域 ID 后按回车</translation>
    </message>
    <message>
        <source>&amp;Account:</source>
        <translation>账号(&amp;A)：</translation>
    </message>
    <message>
        <source>Re&amp;gion:</source>
        <translation>地域(&amp;G)：</translation>
    </message>
    <message>
        <source>Sandbox (local demo)</source>
        <translation>沙箱（本地演示）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Stop caster</source>
        <translation>停止导播台</translation>
    </message>
    <message>
        <source>Stop “{0}”?</source>
        <translation>停止“{0}”？</translation>
    </message>
    <message>
        <source>The live output will end: PGM and every playback URL stop for all viewers.</source>
        <translation>直播输出将会结束：PGM 和所有播放地址都将对全部观众停播。</translation>
    </message>
    <message>
        <source>Start an expired caster</source>
        <translation>启动已到期的导播台</translation>
    </message>
    <message>
        <source>“{0}” has expired.</source>
        <translation>“{0}”已到期。</translation>
    </message>
    <message>
        <source>Its subscription ended. Renew it in the ApsaraVideo Live console first, or try to start it anyway?</source>
        <translation>它的订阅已结束。请先在视频直播控制台续费，或者仍要尝试启动？</translation>
    </message>
    <message>
        <source>Start anyway</source>
        <translation>仍要启动</translation>
    </message>
    <message>
        <source>Quit Caster Desk</source>
        <translation>退出 Caster Desk</translation>
    </message>
    <message>
        <source>Still streaming in this account: {0}</source>
        <translation>此账号下仍在导播：{0}</translation>
    </message>
    <message>
        <source>They keep running, and billing, in the cloud after Caster Desk quits. Stop them first, or quit and leave them running?</source>
        <translation>退出 Caster Desk 后，它们仍会在云端运行并持续计费。要先停止它们，还是退出并让它们继续运行？</translation>
    </message>
    <message>
        <source>Stop them and quit</source>
        <translation>停止并退出</translation>
    </message>
    <message>
        <source>Quit, keep them running</source>
        <translation>退出，保持运行</translation>
    </message>
    <message>
        <source>Switch account or region</source>
        <translation>切换账号或地域</translation>
    </message>
    <message>
        <source>Still streaming here: {0}</source>
        <translation>这里仍在导播：{0}</translation>
    </message>
    <message>
        <source>They keep running, and billing, in the cloud, but Caster Desk stops showing them. Switch anyway?</source>
        <translation>它们会继续在云端运行并计费，但 Caster Desk 将不再显示它们。仍要切换吗？</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>切换</translation>
    </message>
    <message>
        <source>Switch to standby</source>
        <translation>切换到备播</translation>
    </message>
    <message>
        <source>Cut the program of “{0}” to standby?</source>
        <translation>将“{0}”的节目（PGM）切换到备播？</translation>
    </message>
    <message>
        <source>Viewers see the standby video instead of the show until the next Take.</source>
        <translation>在下一次切换之前，观众看到的是备播视频而不是节目。</translation>
    </message>
    <message>
        <source>Caster Desk</source>
        <translation>Caster Desk</translation>
    </message>
    <message>
        <source>Checking before Start…</source>
        <translation>启动前检查中…</translation>
    </message>
    <message>
        <source>Copied RequestId {0}</source>
        <translation>已复制 RequestId {0}</translation>
    </message>
    <message>
        <source>Nothing to copy yet: start or select a live caster.</source>
        <translation>暂无可复制的地址：请启动或选择一个直播中的导播台。</translation>
    </message>
    <message>
        <source>About Caster Desk</source>
        <translation>关于 Caster Desk</translation>
    </message>
    <message>
        <source>Caster Desk {0}
A desktop console for ApsaraVideo Live production studios.</source>
        <translation>Caster Desk {0}
阿里云视频直播导播台的桌面控制台。</translation>
    </message>
</context>
<context>
    <name>MonitorStrip</name>
    <message>
        <source>BLACK</source>
        <translation>黑场</translation>
    </message>
    <message>
        <source>The picture has been black for 2 s or more</source>
        <translation>画面已黑场 2 秒或更久</translation>
    </message>
    <message>
        <source>FROZEN</source>
        <translation>画面静止</translation>
    </message>
    <message>
        <source>The picture has not changed for 2 s or more</source>
        <translation>画面已 2 秒或更久没有变化</translation>
    </message>
    <message>
        <source>SILENT</source>
        <translation>无声</translation>
    </message>
    <message>
        <source>No sound above −60 dBFS for 2 s or more (muting the pane does not matter)</source>
        <translation>2 秒或更久没有高于 −60 dBFS 的声音（与本窗格是否静音无关）</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <source>Fluent</source>
        <translation>流畅</translation>
    </message>
    <message>
        <source>SD</source>
        <translation>标清</translation>
    </message>
    <message>
        <source>HD</source>
        <translation>高清</translation>
    </message>
    <message>
        <source>Ultra HD</source>
        <translation>超清</translation>
    </message>
    <message>
        <source>{0} · portrait</source>
        <translation>{0} · 竖屏</translation>
    </message>
    <message>
        <source>China (Shanghai)</source>
        <translation>华东2（上海）</translation>
    </message>
    <message>
        <source>China (Beijing)</source>
        <translation>华北2（北京）</translation>
    </message>
    <message>
        <source>China (Hangzhou)</source>
        <translation>华东1（杭州）</translation>
    </message>
    <message>
        <source>China (Shenzhen)</source>
        <translation>华南1（深圳）</translation>
    </message>
    <message>
        <source>China (Qingdao)</source>
        <translation>华北1（青岛）</translation>
    </message>
    <message>
        <source>Singapore</source>
        <translation>新加坡</translation>
    </message>
    <message>
        <source>Japan (Tokyo)</source>
        <translation>日本（东京）</translation>
    </message>
    <message>
        <source>Germany (Frankfurt)</source>
        <translation>德国（法兰克福）</translation>
    </message>
</context>
<context>
    <name>OutputCheckView</name>
    <message>
        <source>Nothing to check yet: start or select a live caster.</source>
        <translation>暂无可检查的输出：请启动或选择一个直播中的导播台。</translation>
    </message>
    <message>
        <source>Fetching fresh URLs…</source>
        <translation>正在获取新的播放地址…</translation>
    </message>
    <message>
        <source>Nothing to hand off yet: start or select a live caster.</source>
        <translation>暂无可交付的地址：请启动或选择一个直播中的导播台。</translation>
    </message>
    <message>
        <source>Checking {0} outputs…</source>
        <translation>正在检查 {0} 个输出…</translation>
    </message>
    <message>
        <source>The check could not run.</source>
        <translation>检查未能运行。</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>valid until {0}</source>
        <translation>有效至 {0}</translation>
    </message>
</context>
<context>
    <name>OutputChecks</name>
    <message>
        <source>does not play</source>
        <translation>无法播放</translation>
    </message>
    <message>
        <source>wrong size</source>
        <translation>分辨率不符</translation>
    </message>
    <message>
        <source>tier sizes out of order</source>
        <translation>各档分辨率顺序不对</translation>
    </message>
    <message>
        <source>black picture</source>
        <translation>画面全黑</translation>
    </message>
    <message>
        <source>frozen picture</source>
        <translation>画面静止</translation>
    </message>
    <message>
        <source>silent audio</source>
        <translation>音频静音</translation>
    </message>
    <message>
        <source>URL expired</source>
        <translation>地址已过期</translation>
    </message>
    <message>
        <source>URL expires during the event</source>
        <translation>地址将在活动期间过期</translation>
    </message>
    <message>
        <source>not found (HTTP 404)</source>
        <translation>未找到（HTTP 404）</translation>
    </message>
    <message>
        <source>refused (HTTP 403: auth_key expired or wrong)</source>
        <translation>被拒绝（HTTP 403：auth_key 已过期或错误）</translation>
    </message>
    <message>
        <source>refused (HTTP 401)</source>
        <translation>被拒绝（HTTP 401）</translation>
    </message>
    <message>
        <source>server error (HTTP 5xx)</source>
        <translation>服务器错误（HTTP 5xx）</translation>
    </message>
    <message>
        <source>refused (HTTP 4xx)</source>
        <translation>被拒绝（HTTP 4xx）</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>refused by the RTMP server (stream not found or access denied)</source>
        <translation>被 RTMP 服务器拒绝（流不存在或无权访问）</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>not a playable stream (invalid data)</source>
        <translation>不是可播放的流（数据无效）</translation>
    </message>
    <message>
        <source>no video stream</source>
        <translation>没有视频流</translation>
    </message>
    <message>
        <source>no picture before the stream ended</source>
        <translation>流结束前没有画面</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>PVW monitor</source>
        <translation>PVW 监看</translation>
    </message>
    <message>
        <source>PGM monitor</source>
        <translation>PGM 监看</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0} 秒</translation>
    </message>
    <message>
        <source>{0} days</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <source>{0} h {1} min</source>
        <translation>{0} 小时 {1} 分</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <source>This URL carries no auth_key: it does not expire by signature.</source>
        <translation>此地址不带 auth_key：不会因签名而过期。</translation>
    </message>
    <message>
        <source>Valid until {0} ({1})</source>
        <translation>有效至 {0}（还剩 {1}）</translation>
    </message>
    <message>
        <source>Expired: players are refused. Refresh URLs (Caster menu) to get new ones.</source>
        <translation>已过期：播放器会被拒绝。请用“刷新播放地址”（导播台菜单）获取新地址。</translation>
    </message>
    <message>
        <source>Expires before a {0} h event ends: refresh the URLs before handing them off.</source>
        <translation>会在 {0} 小时的活动结束前过期：交付前请先刷新地址。</translation>
    </message>
    <message>
        <source>Assumes the streaming domain&apos;s URL validity is {0} min (the API does not say; set CASTERDESK_URL_VALIDITY).</source>
        <translation>按播流域名的鉴权有效时长 {0} 分钟估算（API 不提供该值；可设置 CASTERDESK_URL_VALIDITY）。</translation>
    </message>
    <message>
        <source>Does not play: {0}</source>
        <translation>无法播放：{0}</translation>
    </message>
    <message>
        <source>First frame after {0} ms</source>
        <translation>首帧用时 {0} 毫秒</translation>
    </message>
    <message>
        <source>Video: {0}</source>
        <translation>视频：{0}</translation>
    </message>
    <message>
        <source>Bitrate: {0} kbit/s</source>
        <translation>码率：{0} kbit/s</translation>
    </message>
    <message>
        <source>Audio: {0}</source>
        <translation>音频：{0}</translation>
    </message>
    <message>
        <source>Audio: none</source>
        <translation>音频：无</translation>
    </message>
    <message>
        <source>Problems: {0}</source>
        <translation>问题：{0}</translation>
    </message>
    <message>
        <source>{0} of {1} outputs play</source>
        <translation>{1} 个输出中 {0} 个可播放</translation>
    </message>
    <message>
        <source>(+{0} more)</source>
        <translation>（另有 {0} 个）</translation>
    </message>
    <message>
        <source>{0} URLs expired at {1}: refresh them</source>
        <translation>{0} 地址已于 {1} 过期：请刷新</translation>
    </message>
    <message>
        <source>{0} URLs expire in {1}</source>
        <translation>{0} 地址将在 {1} 后过期</translation>
    </message>
    <message>
        <source>URLs valid for {0}</source>
        <translation>地址有效期还剩 {0}</translation>
    </message>
</context>
<context>
    <name>OutputsModel</name>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <source>Checking whether this output plays…</source>
        <translation>正在检查此输出能否播放…</translation>
    </message>
    <message>
        <source>Not checked yet: Check outputs (Ctrl+K) probes every URL.</source>
        <translation>尚未检查：“检查输出”（Ctrl+K）会逐个检查每个地址。</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>转码档位</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Plays</source>
        <translation>可播放</translation>
    </message>
    <message>
        <source>Expires in</source>
        <translation>剩余有效期</translation>
    </message>
    <message>
        <source>No longer live: the caster stopped. {0}</source>
        <translation>已不再直播：导播台已停止。{0}</translation>
    </message>
</context>
<context>
    <name>OutputsTable</name>
    <message>
        <source>PGM outputs</source>
        <translation>PGM 输出</translation>
    </message>
    <message>
        <source>PGM {tier} {format}</source>
        <translation>PGM {tier} {format}</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the full {what} URL</source>
        <translation>复制完整的 {what} 地址</translation>
    </message>
    <message>
        <source>Copy {what} URL</source>
        <translation>复制 {what} 地址</translation>
    </message>
    <message>
        <source>Preview this</source>
        <translation>预览此路</translation>
    </message>
    <message>
        <source>Show {what} in the PGM preview</source>
        <translation>在 PGM 画面中播放 {what}</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
</context>
<context>
    <name>Preflight</name>
    <message>
        <source>No streaming domain is set for this caster.</source>
        <translation>此导播台没有设置播流域名。</translation>
    </message>
    <message>
        <source>Set one in the Live console (production studio → settings → domain name, SetCasterConfig DomainName); StartCaster refuses a caster without one.</source>
        <translation>请在视频直播控制台设置（导播台 → 设置 → 域名，SetCasterConfig DomainName）；没有域名时 StartCaster 会被拒绝。</translation>
    </message>
    <message>
        <source>This computer&apos;s clock is {0} min off the server&apos;s.</source>
        <translation>本机时钟与服务器相差 {0} 分钟。</translation>
    </message>
    <message>
        <source>The gateway refuses requests more than 15 min off. Set the clock automatically (network time) and try again.</source>
        <translation>时间相差超过 15 分钟的请求会被网关拒绝。请开启自动校时（网络时间）后重试。</translation>
    </message>
    <message>
        <source>Set the clock automatically (network time): past 15 min every request is refused.</source>
        <translation>请开启自动校时（网络时间）：相差超过 15 分钟时所有请求都会被拒绝。</translation>
    </message>
    <message>
        <source>The system keychain does not answer ({0}).</source>
        <translation>系统钥匙串无响应（{0}）。</translation>
    </message>
    <message>
        <source>Unlock it or start the keychain service: this session keeps working, but Caster Desk cannot sign in again without it.</source>
        <translation>请解锁钥匙串或启动钥匙串服务：本次会话仍可使用，但没有它 Caster Desk 无法再次登录。</translation>
    </message>
    <message>
        <source>{0} is not a region known to offer production studios.</source>
        <translation>{0} 不是已知提供导播台的地域。</translation>
    </message>
    <message>
        <source>Choose the region where the caster was bought (toolbar → Region).</source>
        <translation>请选择购买导播台时所在的地域（工具栏 → 地域）。</translation>
    </message>
    <message>
        <source>Before starting</source>
        <translation>启动前检查</translation>
    </message>
    <message>
        <source>Starting “{0}” may fail:</source>
        <translation>启动“{0}”可能会失败：</translation>
    </message>
    <message>
        <source>Start anyway</source>
        <translation>仍要启动</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>Preview (PVW): what goes on air next</source>
        <translation>预览（PVW）：即将播出的画面</translation>
    </message>
    <message>
        <source>Program (PGM): what is on air</source>
        <translation>节目（PGM）：正在播出的画面</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>节目</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Back to monitor</source>
        <translation>返回监看流</translation>
    </message>
    <message>
        <source>Show this scene&apos;s own monitor stream again</source>
        <translation>重新显示该场景自己的监看流</translation>
    </message>
    <message>
        <source>Try the {} stream again</source>
        <translation>重新尝试播放 {} 流</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the full monitor URL (with its auth_key)</source>
        <translation>复制完整的监看地址（含 auth_key）</translation>
    </message>
    <message>
        <source>Copy {} monitor URL</source>
        <translation>复制 {} 监看地址</translation>
    </message>
    <message>
        <source>Scene:</source>
        <translation>场景：</translation>
    </message>
    <message>
        <source>Monitor:</source>
        <translation>监看地址：</translation>
    </message>
    <message>
        <source>Copied the {} URL</source>
        <translation>已复制 {} 地址</translation>
    </message>
    <message>
        <source>The caster was stopped; its live output has ended.</source>
        <translation>导播台已停止，直播输出已结束。</translation>
    </message>
    <message>
        <source>Copied {} monitor URL</source>
        <translation>已复制 {} 监看地址</translation>
    </message>
    <message>
        <source>monitor</source>
        <translation>监看流</translation>
    </message>
    <message>
        <source>{w}×{h} · {fps:.1f} fps · {via}</source>
        <translation>{w}×{h} · {fps:.1f} fps · {via}</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>已静音</translation>
    </message>
    <message>
        <source>Sound on</source>
        <translation>声音开</translation>
    </message>
    <message>
        <source>Unmute {} audio</source>
        <translation>打开 {} 声音</translation>
    </message>
    <message>
        <source>Mute {} audio</source>
        <translation>将 {} 静音</translation>
    </message>
</context>
<context>
    <name>PreviewPlayer</name>
    <message>
        <source>The stream URL is over 8 KB long, so it was not opened.</source>
        <translation>播放地址超过 8 KB，未打开。</translation>
    </message>
    <message>
        <source>Not a stream URL (rtmp, http or https), so it was not opened.</source>
        <translation>这不是直播流地址（rtmp、http 或 https），未打开。</translation>
    </message>
    <message>
        <source>No stream URL to preview.</source>
        <translation>没有可预览的流地址。</translation>
    </message>
    <message>
        <source>Video preview is unavailable: {}</source>
        <translation>无法预览视频：{}</translation>
    </message>
    <message>
        <source>No picture within {} s.</source>
        <translation>{} 秒内没有画面。</translation>
    </message>
    <message>
        <source>No picture for {} s.</source>
        <translation>已有 {} 秒没有画面。</translation>
    </message>
    <message>
        <source>Access to the stream was denied (is the auth_key still valid?).</source>
        <translation>拒绝访问该流（auth_key 是否仍然有效？）。</translation>
    </message>
    <message>
        <source>The network connection to the stream failed.</source>
        <translation>与该流的网络连接失败。</translation>
    </message>
    <message>
        <source>The stream&apos;s format cannot be played here.</source>
        <translation>此处无法播放该流的格式。</translation>
    </message>
    <message>
        <source>The stream was interrupted.</source>
        <translation>流已中断。</translation>
    </message>
    <message>
        <source>The stream could not be opened: refused, not found, or not on air yet.</source>
        <translation>无法打开该流：连接被拒绝、流不存在或尚未开播。</translation>
    </message>
    <message>
        <source>The stream ended.</source>
        <translation>流已结束。</translation>
    </message>
    <message>
        <source>The stream could not be played (invalid media).</source>
        <translation>无法播放该流（媒体数据无效）。</translation>
    </message>
</context>
<context>
    <name>ResultPanels</name>
    <message>
        <source>Copy all (text)</source>
        <translation>全部复制（文本）</translation>
    </message>
    <message>
        <source>Copy every URL as plain text, grouped, ready to paste into a chat</source>
        <translation>将全部地址按分组复制为纯文本，可直接粘贴到聊天窗口</translation>
    </message>
    <message>
        <source>Copy all (JSON)</source>
        <translation>全部复制（JSON）</translation>
    </message>
    <message>
        <source>Copy every URL as JSON (the API&apos;s own fields)</source>
        <translation>将全部地址复制为 JSON（使用 API 原有字段）</translation>
    </message>
    <message>
        <source>Copy all</source>
        <translation>全部复制</translation>
    </message>
    <message>
        <source>Copy every URL as text, ready to paste into a chat; the arrow offers JSON</source>
        <translation>将全部地址复制为文本，可直接粘贴到聊天中；箭头菜单可复制 JSON</translation>
    </message>
    <message>
        <source>Starting “{0}”…</source>
        <translation>正在启动“{0}”…</translation>
    </message>
    <message>
        <source>{0} streaming: select one to watch it</source>
        <translation>{0} 个正在导播：选择一个即可监看</translation>
    </message>
    <message>
        <source>No caster started yet</source>
        <translation>尚未启动导播台</translation>
    </message>
    <message>
        <source>STANDBY</source>
        <translation>备播</translation>
    </message>
    <message>
        <source>ON AIR · {0}</source>
        <translation>播出 · {0}</translation>
    </message>
    <message>
        <source>PREVIEW · {0}</source>
        <translation>预监 · {0}</translation>
    </message>
    <message>
        <source>Caster</source>
        <translation>导播台</translation>
    </message>
    <message>
        <source>PVW (preview) monitor</source>
        <translation>PVW（预览）监看地址</translation>
    </message>
    <message>
        <source>PGM (program) monitor</source>
        <translation>PGM（节目）监看地址</translation>
    </message>
    <message>
        <source>PGM outputs</source>
        <translation>PGM 输出</translation>
    </message>
    <message>
        <source>scene</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>RequestId</source>
        <translation>RequestId</translation>
    </message>
    <message>
        <source>Copied all URLs as text</source>
        <translation>已将全部地址复制为文本</translation>
    </message>
    <message>
        <source>Copied all URLs as JSON</source>
        <translation>已将全部地址复制为 JSON</translation>
    </message>
    <message>
        <source>Copied all PGM URLs</source>
        <translation>已复制全部 PGM 地址</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <source>Could not read the accounts</source>
        <translation>无法读取账号列表</translation>
    </message>
    <message>
        <source>Could not sign in</source>
        <translation>无法登录</translation>
    </message>
</context>
<context>
    <name>StateOverlay</name>
    <message>
        <source>No stream</source>
        <translation>无信号</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Buffering…</source>
        <translation>正在缓冲…</translation>
    </message>
    <message>
        <source>ON AIR</source>
        <translation>播出</translation>
    </message>
    <message>
        <source>PREVIEW</source>
        <translation>预监</translation>
    </message>
    <message>
        <source>Stalled</source>
        <translation>画面卡住</translation>
    </message>
    <message>
        <source>Reconnecting in {} s</source>
        <translation>{} 秒后重新连接</translation>
    </message>
    <message>
        <source>Paused while hidden</source>
        <translation>已隐藏，暂停预览</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Preview error</source>
        <translation>预览出错</translation>
    </message>
    <message>
        <source>Start a caster to see its preview.</source>
        <translation>启动导播台后即可看到预览画面。</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Last RequestId: click to copy</source>
        <translation>最近一次请求的 RequestId：点击复制</translation>
    </message>
    <message>
        <source>Connecting to {0}…</source>
        <translation>正在连接 {0}…</translation>
    </message>
    <message>
        <source>Account: {0}</source>
        <translation>账号：{0}</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Signed requests go to {0}</source>
        <translation>签名请求发往 {0}</translation>
    </message>
    <message>
        <source>This endpoint is not Alibaba Cloud. It was set by CASTERDESK_ENDPOINT, --endpoint or the account&apos;s settings.</source>
        <translation>该接入地址不是阿里云。它来自 CASTERDESK_ENDPOINT、--endpoint 或账号设置。</translation>
    </message>
    <message>
        <source>RequestId {0}</source>
        <translation>RequestId {0}</translation>
    </message>
    <message>
        <source>{0}: {1} ms</source>
        <translation>{0}：{1} 毫秒</translation>
    </message>
</context>
<context>
    <name>TakeBar</name>
    <message>
        <source>On PGM:</source>
        <translation>PGM 正在播出：</translation>
    </message>
    <message>
        <source>STANDBY</source>
        <translation>备播</translation>
    </message>
</context>
<context>
    <name>WelcomeView</name>
    <message>
        <source>Welcome to Caster Desk</source>
        <translation>欢迎使用 Caster Desk</translation>
    </message>
    <message>
        <source>Start your ApsaraVideo Live production studios, watch PVW and PGM, and copy the playback URLs.
To begin, add your Alibaba Cloud account, or try everything on the built-in sandbox first (no account needed).</source>
        <translation>启动阿里云视频直播导播台，监看 PVW 和 PGM 画面，复制播放地址。
开始前，请添加阿里云账号，或先在内置沙箱中体验全部功能（无需账号）。</translation>
    </message>
    <message>
        <source>Add an Alibaba Cloud account</source>
        <translation>添加阿里云账号</translation>
    </message>
    <message>
        <source>Try the sandbox</source>
        <translation>试用沙箱</translation>
    </message>
</context>
</TS>
